"""The translation memory: every translated entry of the project's documents, and the memories
a coalition imports (TMX, PO compendia), recalled into untranslated entries as fuzzy."""
