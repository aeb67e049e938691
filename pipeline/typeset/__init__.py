"""Typesetting: a language's lookup, the page model, fonts, and the PDF and web page."""
