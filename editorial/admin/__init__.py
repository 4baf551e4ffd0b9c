"""The article desk in the Django admin, one module per part.

Importing the package registers every part with the admin site.
"""

from . import addresses, articles  # noqa: F401  (registered on import)
