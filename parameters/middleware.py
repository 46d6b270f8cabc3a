from . import accessors


class ParameterSnapshotMiddleware:
    """Each request is one parameter scope (:func:`parameters.accessors.snapshot_scope`): every
    parameter is read lazily, with one query, on the request's first read; later reads are free,
    and nothing is kept for the next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with accessors.snapshot_scope():
            return self.get_response(request)
