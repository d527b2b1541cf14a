"""Writers: documents in, events out (JSON records, a readable table)."""

from .records import document_record, event_record, records
from .table import format_table

__all__ = ["document_record", "event_record", "format_table", "records"]
