"""manage.py tutor_models: asks each tutor service this site has a key for which models it offers, and fails, in
plain words, when a model the site is set to call (a setting, or a lesson's own) is not among them. `make smoke`
runs it first; an operator can run it alone, after a change of models or keys, or from a monitoring job."""

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tutor.providers.factory import offered_models
from tutor.providers.offered import PROVIDER_NAMES, Finding, ModelListError, compare

from ...selectors.tutor_models import models_in_use

KEYS = {"gemini": "GEMINI_API_KEY", "openai": "OPENAI_API_KEY"}


class Command(BaseCommand):
    help = "Check that the tutor services offer every model this site is set to call. Exit 1 when one does not."
    # It says, itself, what a system check would stop it from saying (a shut-down model is practice.E001).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", choices=sorted(KEYS), help="check this service only")

    def handle(self, *args, **options) -> None:
        tutor = settings.TUTOR
        failed = []
        for provider, wanted in models_in_use(tutor=tutor).items():
            if options["provider"] not in (None, provider):
                continue
            if not tutor.provider_available(provider):
                self.stdout.write(f"{provider}: skipped: no {KEYS[provider]}")
                continue
            try:
                offered = asyncio.run(offered_models(tutor, provider))
            except ModelListError as exc:
                self.stdout.write(self.style.ERROR(f"{provider}: FAIL: {exc}"))
                failed.append(provider)
                continue
            findings = compare(provider, wanted, offered, catalog=tutor.catalog)
            self._report(provider, findings)
            if not all(finding.ok for finding in findings):
                failed.append(provider)
        if failed:
            names = ", ".join(PROVIDER_NAMES[provider] for provider in failed)
            raise CommandError(f"{names}: a model this site is set to call is not offered (see above).")

    def _report(self, provider: str, findings: list[Finding]) -> None:
        ok = all(finding.ok for finding in findings)
        heading = f"{provider}: {'PASS' if ok else 'FAIL'}: {sum(f.ok for f in findings)} of {len(findings)} offered"
        self.stdout.write(self.style.SUCCESS(heading) if ok else self.style.ERROR(heading))
        for finding in findings:
            want = finding.wanted
            if finding.problem:
                self.stdout.write(self.style.ERROR(f"  {finding.problem}"))
            elif finding.warning:
                self.stdout.write(self.style.WARNING(f"  {want.use}: {want.model}: offered. {finding.warning}"))
            else:
                self.stdout.write(f"  {want.use}: {want.model}: offered")
