"""The contract between a wizard and its pages."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.context import CeremonyContext, Parts
from ui.labels import clear_layout, message_label

__all__ = [
    "UNSAID",
    "Page",
    "clear_layout",
    "first_field",
    "mark_destructive",
    "message_label",
    "takes_enter",
    "wrap_forms",
]

# Said beside a disabled Next only by a page that forgot to say what it waits for.
UNSAID = "Finish this step first: see above what it still needs."
FIELDS = (QLineEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox, QCheckBox)


def mark_destructive(button: QAbstractButton) -> None:
    """A button that throws work away: never where the focus lands, never pressed by Enter."""
    button.setProperty("destructive", True)
    button.setObjectName("danger")


def wrap_forms(root: QWidget) -> None:
    """Forms fold on a narrow screen (a laptop at 150 %): a long label wraps, and a field that
    does not fit beside its label goes under it, so no page scrolls sideways."""
    for form in root.findChildren(QFormLayout):
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setWordWrap(True)


def takes_enter(widget: QWidget) -> bool:
    """Whether ``widget`` does something of its own with Enter (so the wizard must not)."""
    return bool(widget.property("takesEnter")) or isinstance(widget, QPlainTextEdit)


def _shown(widget: QWidget, page: QWidget) -> bool:
    """Visible in ``page``, counting widgets just added whose show is still queued."""
    if widget.isVisibleTo(page):
        return True
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
        return False  # hidden on purpose
    parent = widget.parentWidget()
    return parent is page or (parent is not None and _shown(parent, page))


def _usable(widget: QWidget, page: QWidget) -> bool:
    return (
        _shown(widget, page)
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and not (isinstance(widget, QLineEdit) and widget.isReadOnly())
    )


def _in_tab_order(page: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    widget = page.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and id(widget) not in seen and widget is not page:
        seen.add(id(widget))
        if page.isAncestorOf(widget) and _usable(widget, page):
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def first_field(page: QWidget) -> QWidget | None:
    """The first field a custodian would type into or tick, in tab order; None if none.

    Never a button: a Space typed into a name must not press anything.
    """
    for widget in _in_tab_order(page):
        if isinstance(widget, FIELDS):
            return widget
    return None


class Page(QWidget):
    """One step. ``title`` names it; the wizard adds "Step k of m"."""

    completeChanged = Signal()
    backRequested = Signal()  # the page itself leads back a step (e.g. after a mismatch)
    title = "Step"
    allow_back = True  # pages after secrets exist usually set False
    can_cancel = True  # False once nothing is left to cancel (Done: the answer has left)
    # The parts of the context (ui.context) this page reads, and those it writes.
    reads: ClassVar[Parts] = ()
    writes: ClassVar[Parts] = ()
    next_text = "Next"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__()
        self.context = context
        self.body = QVBoxLayout(self)
        self.body.setSpacing(12)
        self.body.setContentsMargins(4, 4, 12, 4)
        # A page with no field holds the keyboard itself (not in the Tab chain): typing
        # presses nothing, and Enter reaches the wizard.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def notify(self, *_: object) -> None:
        """Slot for any edit: the wizard re-asks ``is_complete``."""
        self.completeChanged.emit()

    def enter(self) -> None:
        """Called each time the page is shown."""

    def focus_target(self) -> QWidget | None:
        """Where the keyboard goes as the page opens; None: the first field in tab order."""
        return None

    def is_complete(self) -> bool:
        return True

    def waiting_for(self) -> str:
        """Why Next is not available yet, in one line shown beside it: what is missing, by name.

        Every page that can hold Next back says what it waits for; this is only a last resort.
        """
        return UNSAID

    def busy_text(self) -> str:
        """What the page is doing while Next waits for its worker."""
        return "Working… wait a moment."

    def leave(self) -> bool:
        """Called on Next; return False to stay (after showing why)."""
        return True

    def wipe(self) -> None:
        """Forget anything secret held by widgets on this page."""

    def busy(self) -> bool:
        """True while a worker of this page is running (Next and Cancel wait)."""
        return False
