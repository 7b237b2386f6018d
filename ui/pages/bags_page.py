"""Tamper-evident bags: each sheet sealed into a numbered bag, and the bags the last record lists.

At genesis and re-share (and after a drill) each custodian types, or scans
from its barcode, the serial of the bag their sheet goes into; the record
lists share -> holder -> bag. Before a recovery or drill, the serials the
last record lists are typed in (or read from its signed transcript), so each
holder's bag is checked before their share is entered.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from ceremony.errors import CeremonyError
from ceremony.evidence.bags import bag_lines, bags_from_transcript, parse_bag_lines
from ceremony.evidence.check_value import check_value
from ceremony.evidence.log import check_bag_serial, same_serial
from ui.context import CeremonyContext, Crossing, Details, Record, Secrets
from ui.pages.base import Page, clear_layout, message_label
from ui.style import BAD

__all__ = ["ExpectedBagsPage", "SealBagsPage", "ask_open_transcript"]


def ask_open_transcript(parent: QWidget) -> Path | None:
    """Like every dialog, it gives the keyboard back to where it was (ui.dialogs)."""
    from ui import dialogs

    return dialogs.ask_open_file(
        parent, "The last ceremony's signed transcript", "Transcript (*.json)"
    )


def _sheet_key(context: CeremonyContext, index: int) -> str:
    policy = context.plan().policy
    if not policy.grouped:
        return str(index)
    group, member = policy.locate(index)
    return f"group {group} member {member}"


class SealBagsPage(Page):
    reads = (Details, Secrets)
    writes = (Record,)
    title = "Each sheet into its numbered bag"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.rows: list[tuple[str, str, QLineEdit]] = []  # (share, holder, serial field)
        self.form_box = QWidget()
        self.form = QFormLayout(self.form_box)
        self.problem = message_label()
        self.problem.setObjectName("bagProblem")
        self.problem.setStyleSheet(f"color: {BAD}; font-weight: bold;")
        self.body.addWidget(
            message_label(
                "Each custodian folds their sheet into a tamper-evident bag and seals it in "
                "front of the witness, then types the serial printed on the bag (or scans its "
                "barcode into the field). The record lists which share is in which bag; "
                "before the next recovery or drill, the bag is checked against it."
            )
        )
        self.body.addWidget(self.form_box)
        self.body.addWidget(self.problem)
        self.body.addStretch(1)

    def enter(self) -> None:
        if self.rows:
            return
        c = self.context
        made = {s.share for s in c.log.evidence().shares}
        if c.shares:  # genesis and re-share: the new sheets, while still in memory
            for index, custodian in enumerate(c.custodians, start=1):
                key = _sheet_key(c, index)
                if key not in made:
                    c.log.share_made(key, custodian.name, check_value(c.share_text(index)))
        clear_layout(self.form)
        for share in c.log.evidence().shares:
            field = QLineEdit()
            field.setAccessibleName(f"Bag serial for share {share.share} of {share.holder}")
            field.setPlaceholderText("Serial printed on the bag")
            field.textChanged.connect(self._changed)
            label = f"Share {share.share} — {share.holder}"
            if share.check_value:
                label += f"\n(check value {share.check_value})"
            self.form.addRow(label, field)
            self.rows.append((share.share, share.holder, field))
        self._changed()

    def _problem(self) -> str:
        typed = [field.text().strip() for _, _, field in self.rows]
        if not all(typed):
            return ""
        for (share, _, _), serial in zip(self.rows, typed, strict=True):
            try:
                check_bag_serial(serial)
            except CeremonyError as err:
                return f"Share {share}: {err.message}"
        for i, a in enumerate(typed):
            if any(same_serial(a, b) for b in typed[i + 1 :]):
                return f"Bag {a} is typed twice: every sheet goes into a bag of its own."
        return ""

    def _changed(self) -> None:
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def waiting_for(self) -> str:
        empty = [(share, holder) for share, holder, f in self.rows if not f.text().strip()]
        if empty:
            share, holder = empty[0]
            more = f" ({len(empty)} still empty)" if len(empty) > 1 else ""
            return f"Type the serial of the bag holding share {share} ({holder}){more}."
        return self._problem() or "No sheet is listed for a bag."

    def is_complete(self) -> bool:
        return (
            bool(self.rows)
            and all(f.text().strip() for *_, f in self.rows)
            and not (self._problem())
        )

    def leave(self) -> bool:
        for share, holder, field in self.rows:
            self.context.log.bag_sealed(share, holder, field.text())
        return True


class ExpectedBagsPage(Page):
    reads = (Details, Crossing)
    writes = (Record,)
    title = "The bags the last record lists"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.lines = QPlainTextEdit()
        self.lines.setObjectName("expectedBags")
        self.lines.setAccessibleName("Bag serials from the last record, one share a line")
        self.lines.setTabChangesFocus(True)
        self.lines.setPlaceholderText(
            "One share a line, number then bag serial:\n1 TE-100201\n2 TE-100202"
        )
        self.lines.setFixedHeight(self.fontMetrics().lineSpacing() * 7)
        self.lines.textChanged.connect(self._changed)
        self.load_button = QPushButton("Read them from the last signed &transcript…")
        self.load_button.clicked.connect(self._choose_transcript)
        self.no_bags = QCheckBox(
            "The &last record lists no bags (sheets made before bags were used)"
        )
        self.no_bags.toggled.connect(self._changed)
        self.source = "typed from the paper record"
        self.loaded = message_label()
        self.loaded.setObjectName("expectedBagsSource")
        self.problem = message_label()
        self.problem.setObjectName("expectedBagsProblem")
        self.problem.setStyleSheet(f"color: {BAD}; font-weight: bold;")
        self.body.addWidget(
            message_label(
                "Before any share is entered, the witness reads out the bag serials from the "
                "last ceremony record (the table 'Shares, check values and bags'). Each holder "
                "then checks their own bag, unopened, against it, and types its serial before "
                "opening it. A bag that differs is not opened for this ceremony."
            )
        )
        form = QFormLayout()
        form.addRow("&Bags in the last record", self.lines)
        self.body.addLayout(form)
        self.body.addWidget(self.load_button)
        self.body.addWidget(self.loaded)
        self.body.addWidget(self.no_bags)
        self.body.addWidget(self.problem)
        self.body.addStretch(1)

    def _choose_transcript(self) -> None:
        path = ask_open_transcript(self)
        if path is not None:
            self.load_transcript(path)

    def load_transcript(self, path: Path) -> None:
        request = self.context.request
        registered = (
            request.registration.export_public_key if request and request.registration else None
        )
        try:
            bags = bags_from_transcript(path.read_bytes(), registered)
        except OSError as err:
            self.problem.setText(f"Cannot read {path.name}: {err.strerror or err}.")
            return
        except CeremonyError as err:
            self.problem.setText(err.message)
            return
        self.source = f"from the signed transcript {path.name}"
        self.lines.setPlainText(bag_lines(bags))
        signer = "the export key the request registers" if registered else "its own export key"
        self.loaded.setText(
            f"✓ Read from {path.name}: its signature ({signer}), hash chain and record digest "
            "verify. Compare these serials with the paper record too."
        )

    def _changed(self) -> None:
        self.lines.setEnabled(not self.no_bags.isChecked())
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def _problem(self) -> str:
        if self.no_bags.isChecked() or not self.lines.toPlainText().strip():
            return ""
        try:
            parse_bag_lines(self.lines.toPlainText())
        except CeremonyError as err:
            return err.message
        return ""

    def waiting_for(self) -> str:
        return self._problem() or (
            "Type the bag serials the last record lists, or tick that it lists no bags."
        )

    def is_complete(self) -> bool:
        if self.no_bags.isChecked():
            return True
        return bool(self.lines.toPlainText().strip()) and not self._problem()

    def leave(self) -> bool:
        c = self.context
        if self.no_bags.isChecked():
            c.expected_bags = {}
            c.log.deviation("no-bags", "The last record lists no bags; no bag was checked.")
            return True
        c.expected_bags = parse_bag_lines(self.lines.toPlainText())
        c.log.journal.record("bags-expected", source=self.source, bags=dict(c.expected_bags))
        return True
