"""Ticket writes, one module per concern: ``opening`` (every channel's new ticket, its priority
rule), ``transitions`` (the situation moves),
``attachments``, ``feedback`` (opinion, satisfaction survey), ``messages`` (the conversation) and
``backoffice`` (the attendant's occurrence register). Each service is ``<entity>_<action>``,
keyword-only and atomic, re-checks :mod:`tickets.policies` under the ticket's row lock
(:func:`tickets.access.ticket_lock`) and raises an ``ApplicationError`` with the reason."""
