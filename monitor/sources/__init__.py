"""The sources stage: all outbound HTTP for sources (``fetch``, guarded by ``netguard``,
bodies bounded by ``decoding``) and the parsers that turn a body into entries (``parse``,
``fastparse``, ``entities``)."""
