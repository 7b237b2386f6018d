"""Which pages make each ceremony, in order."""

from __future__ import annotations

from ui.context import CeremonyContext
from ui.environment_check import EnvironmentProvider
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
from ui.pages.session_page import SessionPage
from ui.pages.summary_page import SummaryPage
from ui.pages.verify_share_page import VerifySharePage
from ui.pages.verify_shares_page import VerifySharesPage
from ui.sealing import ANSWERS
from ui.wizard import Wizard

__all__ = ["build_pages", "build_wizard"]


def build_pages(c: CeremonyContext, env: EnvironmentProvider | None) -> list[Page]:
    if c.kind == "genesis":
        return [
            DetailsPage(c), EnvironmentPage(c, env), RequestPage(c, ANSWERS["genesis"]),
            OperationPage(c), EntropyPage(c), SummaryPage(c), GeneratePage(c), PrintSheetsPage(c),
            VerifySharesPage(c), BundlePage(c), RecordPage(c), DonePage(c),
        ]  # fmt: skip
    if c.kind in ("recovery", "drill"):
        operations = ANSWERS[c.kind]
        # recover-escrow and adopt take three crossings: the room's session code goes first.
        session: list[Page] = [] if c.kind == "drill" else [SessionPage(c)]
        return [
            EnvironmentPage(c, env), *session, RequestPage(c, operations), OperationPage(c),
            CollectSharesPage(c), FingerprintPage(c), ReviewPage(c), ConfirmPage(c),
            BundlePage(c), RecordPage(c), DonePage(c),
        ]  # fmt: skip
    if c.kind == "reshare":
        return [
            DetailsPage(c, new_custodians=True), EnvironmentPage(c, env), CollectSharesPage(c),
            FingerprintPage(c), SummaryPage(c), GeneratePage(c), PrintSheetsPage(c),
            VerifySharesPage(c),
            RecordPage(c), DonePage(c),
        ]  # fmt: skip
    return [EnvironmentPage(c, env), VerifySharePage(c), RecordPage(c), DonePage(c)]


def build_wizard(context: CeremonyContext, env: EnvironmentProvider | None = None) -> Wizard:
    return Wizard(context, build_pages(context, env))
