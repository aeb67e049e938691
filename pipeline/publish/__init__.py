"""Publishing: build state, one language and many in parallel, the download page, the proof, status."""
