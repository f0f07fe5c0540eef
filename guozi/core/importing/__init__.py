"""Reading uploaded spreadsheets safely, for every import: file checks, rows, cell values, errors.

An app's import (the asset ledger, the year's task list) checks the bytes with
``filecheck``, reads rows with ``reader``, parses cells with ``values`` and reports
what is wrong with ``problems``; it owns only its columns and its writes.
"""
