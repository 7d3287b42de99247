"""Old name of kg.month_names, kept only while kg/extract/lexicon.py still imports it from here.

Remove once that import reads `from kg.month_names import MONTHS` (kg/extract was being edited
by others during the restructuring, so its imports were not changed then).
"""

from kg.month_names import MONTHS

__all__ = ["MONTHS"]
