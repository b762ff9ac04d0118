"""The PySide6 user interface. The only package (with ``app`` and ``__main__``) that imports Qt."""
