"""The import format of seizure records: its columns, in the order `ops generate` writes them.

The importer reads files in this format (in any column order) and the generator writes it, so both
import it from here, on the ground floor. README "The format" gives each column's rules.
"""

COLUMNS = [
    "seizure_id",
    "operation_ref",
    "occurred_at",
    "agency",
    "team",
    "location",
    "region",
    "lat",
    "lon",
    "commodity_category",
    "commodity",
    "quantity",
    "unit",
    "conveyance",
    "concealment",
    "vehicle_plate",
    "person_name",
    "person_document",
    "nationality",
    "route_origin",
    "route_destination",
    "narrative",
    "visibility",
]
# Columns an import file may add after the 23 above, in any place, or leave out (a record always comes
# with them, empty when absent): the handling code ("H0".."H2", or "H3: conditions") and the grading
# ("B2"), without which a record is H0 and ungraded; the inventory numbers of the programme's
# equipment used, separated by ";"; the person's phone numbers, separated by ";" (ops.phones).
OPTIONAL_COLUMNS = ["handling_code", "grading", "equipment", "person_phones"]
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
