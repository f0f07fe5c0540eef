"""Half-width punctuation typed into Chinese text, read as its full-width form.

The report's cross-checks read text a unit may have typed with half-width marks ("5,5"), and
the demo's narratives come from a plain-text copy of the reference report that lost its
full-width ones: both widen them the same way.
"""

#: Each half-width mark and its full-width form.
FULL_WIDTH = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；"}


def full_width(text: str) -> str:
    # One str.replace per mark: str.translate looks every character of Chinese text up in
    # its table, 2 ms for a 200-task report against 0.1 ms.
    for half, full in FULL_WIDTH.items():
        text = text.replace(half, full)
    return text
