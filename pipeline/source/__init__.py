"""The source: the document and its front matter, the signatories, the segments, and the msgid form."""
