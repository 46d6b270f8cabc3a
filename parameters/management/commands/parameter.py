import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parameters.accessors import param
from parameters.models import ParameterChange
from parameters.registry import REGISTRY
from parameters.services import parameter_set


class Command(BaseCommand):
    help = (
        "Read or change a numbered parameter: 'parameter get 252', 'parameter set 252 Y', 'parameter list'. "
        "A secret (write-only) parameter prints masked; its value is read from standard input "
        "('parameter set 328 -', or a prompt when none is given), never from the command line, which "
        "the shell's history and the process list keep."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        g = sub.add_parser("get")
        g.add_argument("number", type=int)
        s = sub.add_parser("set")
        s.add_argument("number", type=int)
        s.add_argument("value", nargs="?", default=None)
        sub.add_parser("list")

    def _param(self, number):
        try:
            return REGISTRY[number]
        except KeyError:
            raise CommandError(f"Unknown parameter {number}.") from None

    def _secret(self, p, given: str | None) -> str:
        """A secret's value: "-" reads one line of standard input (scripts: ``… | parameter set 328 -``),
        nothing prompts without echo; a value on the command line is refused."""
        if given not in (None, "-"):
            raise CommandError(
                f"Parameter {p.number} is secret: give its value on standard input "
                f"('parameter set {p.number} -') or at the prompt, not on the command line."
            )
        if given == "-" or not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\r\n")
        return getpass.getpass(f"{p.number} {p.name}: ")

    def handle(self, *args, action, **opts):
        if action == "list":
            for p in sorted(REGISTRY.values(), key=lambda p: p.number):
                self.stdout.write(f"{p.number}\t{p.shown(p.display(param(p)))}\t{p.name}")
            return
        p = self._param(opts["number"])
        if action == "get":
            self.stdout.write(p.shown(p.display(param(p))))
            return
        value = opts["value"]
        if p.is_secret:
            value = self._secret(p, value)
        elif value is None:
            value = ""
        try:
            change = parameter_set(p=p, value=value, raw=True, via=ParameterChange.Via.COMMAND)
        except ValidationError as exc:
            raise CommandError("; ".join(str(m) for m in exc.messages)) from None
        if change is None:
            self.stdout.write(f"{p.number} unchanged: {p.shown(p.display(param(p)))}")
        elif p.is_secret:
            self.stdout.write(f"{p.number}: changed (write-only: the value is not shown)")
        else:
            self.stdout.write(f"{p.number}: {change.old_value!r} -> {change.new_value!r}")
