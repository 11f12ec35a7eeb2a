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
