"""Which pages make each ceremony, in order."""

from __future__ import annotations

from collections.abc import Callable

from ceremony.evidence.steps import steps_for
from ui.context import CeremonyContext
from ui.environment_check import EnvironmentProvider
from ui.pages.bags_page import ExpectedBagsPage, SealBagsPage
from ui.pages.base import Page
from ui.pages.bundle_page import BundlePage
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.confirm_page import ConfirmPage
from ui.pages.details_page import DetailsPage
from ui.pages.done_page import DonePage
from ui.pages.entropy_page import EntropyPage
from ui.pages.environment_page import EnvironmentPage
from ui.pages.fingerprint_page import FingerprintPage
from ui.pages.generate_page import GeneratePage
from ui.pages.operation_page import OperationPage
from ui.pages.print_sheets_page import PrintSheetsPage
from ui.pages.record_page import RecordPage
from ui.pages.request_page import RequestPage
from ui.pages.review_page import ReviewPage
from ui.pages.roles_page import RolesPage
from ui.pages.session_page import SessionPage
from ui.pages.summary_page import SummaryPage
from ui.pages.verify_share_page import VerifySharePage
from ui.pages.verify_shares_page import VerifySharesPage
from ui.sealing import ANSWERS
from ui.wizard import Wizard

__all__ = ["build_pages", "build_wizard"]


def _page(key: str, c: CeremonyContext, env: EnvironmentProvider | None) -> Page:
    """The page that carries out one step of ceremony.evidence.steps."""
    operations = ANSWERS.get(c.kind, ())
    factories: dict[str, Callable[[], Page]] = {
        "details": lambda: DetailsPage(c, new_custodians=c.kind == "reshare"),
        "roles": lambda: RolesPage(c),
        "environment": lambda: EnvironmentPage(c, env),
        "session": lambda: SessionPage(c),
        "request": lambda: RequestPage(c, operations),
        "operation": lambda: OperationPage(c),
        "entropy": lambda: EntropyPage(c),
        "summary": lambda: SummaryPage(c),
        "generate": lambda: GeneratePage(c),
        "print-sheets": lambda: PrintSheetsPage(c),
        "verify-shares": lambda: VerifySharesPage(c),
        "seal-bags": lambda: SealBagsPage(c),
        "expected-bags": lambda: ExpectedBagsPage(c),
        "collect": lambda: CollectSharesPage(c),
        "fingerprint": lambda: FingerprintPage(c),
        "review": lambda: ReviewPage(c),
        "confirm": lambda: ConfirmPage(c),
        "bundle": lambda: BundlePage(c),
        "record": lambda: RecordPage(c),
        "verify-share": lambda: VerifySharePage(c),
        "done": lambda: DonePage(c),
    }
    return factories[key]()


def build_pages(c: CeremonyContext, env: EnvironmentProvider | None) -> list[Page]:
    """One page a step, in the order (and with the titles) the run sheet prints."""
    pages = []
    for step in steps_for(c.kind):
        page = _page(step.key, c, env)
        page.title = step.title
        pages.append(page)
    return pages


def build_wizard(context: CeremonyContext, env: EnvironmentProvider | None = None) -> Wizard:
    return Wizard(context, build_pages(context, env))
