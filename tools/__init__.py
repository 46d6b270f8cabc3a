"""Development tools that are not part of the product: the load benchmark (``tools.bench``)."""
