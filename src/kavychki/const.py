"""Constants shared across the package: entity, quote and speaker types, zones."""

PER = "PER"
ORG = "ORG"
LOC = "LOC"
ENTITY_TYPES = (PER, ORG, LOC)

OTHER = "OTHER"
UNKNOWN = "UNKNOWN"
SPEAKER_TYPES = (PER, ORG, OTHER, UNKNOWN)

DIRECT = "direct"
INDIRECT = "indirect"
MIXED = "mixed"
QUOTE_TYPES = (DIRECT, INDIRECT, MIXED)

MASC = "masc"
FEMN = "femn"

BODY = "body"
RELATED = "related"
