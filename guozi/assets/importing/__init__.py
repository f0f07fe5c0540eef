"""The asset ledger import: file checks, reading, the template's layout, row validation and the bulk write.

The pipeline, in order: ``filecheck`` (is it a real, safe .xlsx or .csv?), ``reader``
(rows of cells; the only module that knows the spreadsheet library), ``layout``
(title, unit and header rows; the optional 合计 row), ``values`` (one cell to one
field value), ``rows`` (one sheet row to one ledger row, matched against the
database), ``writer`` (assets and their change records, in bulk). The service
``guozi.assets.services.imports`` runs it.
"""
