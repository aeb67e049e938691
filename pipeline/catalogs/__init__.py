"""Catalogs: PO reading and writing, review states and marks, extract, update, glossary, safety."""
