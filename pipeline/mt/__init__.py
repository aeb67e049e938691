"""Machine translation: the engine protocol, planning, the run, the XML codec and DeepL."""
