"""kavychki: who is in Russian news, and who said what.

>>> import kavychki
>>> doc = kavychki.extract("«Мы готовы», — заявил министр Иванов.")
"""

from .const import LOC, ORG, PER
from .errors import InputError, KavychkiError
from .frames import frames
from .pipeline import Pipeline, extract
from .records import Cluster, Document, Entity, Quote, Sentence, Source, Span, Speaker

__version__ = "0.1.0"

__all__ = [
    "extract",
    "frames",
    "Pipeline",
    "Document",
    "Sentence",
    "Entity",
    "Cluster",
    "Quote",
    "Source",
    "Speaker",
    "Span",
    "PER",
    "ORG",
    "LOC",
    "InputError",
    "KavychkiError",
    "__version__",
]
