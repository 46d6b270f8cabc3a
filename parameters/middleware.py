from . import accessors


class ParameterSnapshotMiddleware:
    """Reads all parameters lazily, once per request; every later read in the request is free."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        flag = accessors._in_request.set(True)
        accessors._snapshot.set(None)
        try:
            return self.get_response(request)
        finally:
            accessors._snapshot.set(None)
            accessors._in_request.reset(flag)
