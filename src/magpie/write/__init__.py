"""Writers: documents in, events out (JSON records, a readable table)."""

from .records import event_record, records
from .table import format_table

__all__ = ["event_record", "format_table", "records"]
