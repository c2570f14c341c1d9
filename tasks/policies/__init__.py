"""The five policy documents: where they are, how their measures and targets are read, and the loader."""

from tasks.policies.documents import SOURCES, documents_dir, read_document
from tasks.policies.loader import load_policies
from tasks.policies.parsing import PARSERS, DocumentFormatError

__all__ = ["PARSERS", "SOURCES", "DocumentFormatError", "documents_dir", "load_policies", "read_document"]
