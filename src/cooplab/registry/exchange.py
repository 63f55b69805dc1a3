"""Spreadsheets in and out: organizations, people and places as XLSX or CSV.

Imports are all-or-nothing: every row is checked first, and one bad row means nothing is
written and the error lists every bad row and field. They are idempotent: a row updates the
record it matches (by identifier, then by name key) and never makes a second one. Exports
write the columns imports read, so export then import gives the same registry.
Columns are documented in docs/spreadsheets.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, cast

from pydantic import BaseModel, ValidationError
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission
from cooplab.core.audit import name_change, plain, record, record_many
from cooplab.core.spreadsheets import (
    batched,
    read_rows,
    too_large,
    write_csv,
    write_xlsx,
)
from cooplab.db.base import utcnow
from cooplab.errors import CodedValueError, ImportFileError, error_code, field_error
from cooplab.registry.models import (
    Identifier,
    Organization,
    OrganizationName,
    Person,
    PersonName,
    Place,
    PlaceName,
    Position,
)
from cooplab.registry.schemas import (
    IdentifierIn,
    NameIn,
    OrganizationCreate,
    PlaceCreate,
    PositionIn,
    name_spec,
)
from cooplab.registry.service import (
    identifier_conflicts,
    identifier_holders,
    name_rows,
    name_values,
)
from cooplab.settings import get_settings
from cooplab.vocab.choices import Activity, IdentifierScheme
from cooplab.vocab.names import name_key

RecordKind = Literal["org", "person", "place"]
Progress = Callable[[int, int], None]
MAX_REPORTED = 200
#: Bulk inserts send every key of every row, so rows batch together (missing keys split batches).
BULK = {"render_nulls": True}

COLUMNS: dict[str, list[str]] = {
    "org": [
        "name",
        "name_lang",
        "other_names",
        "kind",
        "tier",
        "country",
        "head_office",
        "website",
        "description",
        "inn",
        "ogrn",
        "stir",
        "unverified",
        "illustrative",
    ],
    "person": [
        "name",
        "name_lang",
        "other_names",
        "title",
        "title_en",
        "organization",
        "start",
        "end",
        "illustrative",
    ],
    "place": [
        "name",
        "name_lang",
        "other_names",
        "kind",
        "country",
        "geonames_id",
        "latitude",
        "longitude",
        "parent",
        "illustrative",
    ],
}
REQUIRED = {"org": {"name", "kind"}, "person": {"name"}, "place": {"name", "country"}}
#: Russian column names read as the English ones, in lower case with ё written е
#: (docs/spreadsheets.md lists them).
ALIASES = {
    "название": "name",
    "наименование": "name",
    "имя": "name",
    "фио": "name",
    "язык": "name_lang",
    "язык названия": "name_lang",
    "другие названия": "other_names",
    "другие имена": "other_names",
    "вид": "kind",
    "тип": "kind",
    "уровень": "tier",
    "страна": "country",
    "головной офис": "head_office",
    "сайт": "website",
    "описание": "description",
    "инн": "inn",
    "огрн": "ogrn",
    "стир": "stir",
    "неподтвержденные": "unverified",
    "иллюстративно": "illustrative",
    "должность": "title",
    "должность (англ.)": "title_en",
    "организация": "organization",
    "начало": "start",
    "окончание": "end",
    "geonames": "geonames_id",
    "широта": "latitude",
    "долгота": "longitude",
    "входит в": "parent",
}


#: The Russian heading a column is shown under, where the first of ALIASES is not the word for
#: that kind of record (a person's name is «ФИО», not «Название»).
_HEADING_OF_KIND = {("person", "name"): "ФИО"}
_ABBREVIATIONS = {"инн", "огрн", "стир"}


def russian_heading(kind: str, column: str) -> str | None:
    """The Russian heading of a column of an import of `kind` (None: it has none)."""
    if (kind, column) in _HEADING_OF_KIND:
        return _HEADING_OF_KIND[kind, column]
    heading = next((alias for alias, name in ALIASES.items() if name == column), None)
    if heading is None or heading == column:
        return None
    return heading.upper() if heading in _ABBREVIATIONS else heading[:1].upper() + heading[1:]


class ImportReport(BaseModel):
    """What an import did."""

    file: str
    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int


# ---------------------------------------------------------------- reading files (cooplab.core.spreadsheets)


def column_name(heading: str) -> str:
    """The column a heading names: an English column as it is, a Russian one by ALIASES."""
    return ALIASES.get(heading.replace("ё", "е"), heading)


def _check_header(headings: list[str], kind: str, name: str) -> list[str]:
    """The columns of the headings (Russian ones as their English names); every unknown,
    repeated or missing column is refused at once."""
    header = [column_name(h) if h else h for h in headings]
    unknown = [h for h in headings if h and column_name(h) not in COLUMNS[kind]]
    twice = sorted({h for h in header if h and h in COLUMNS[kind] and header.count(h) > 1})
    missing = sorted(REQUIRED[kind] - set(header))
    details = [field_error([name, 1, h], "unknown column", "unknown_column", column=h) for h in unknown]
    details += [field_error([name, 1, h], "column given twice", "column_twice", column=h) for h in twice]
    details += [field_error([name, 1, m], "missing column", "missing_column", column=m) for m in missing]
    if details:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(unknown))
        if twice:
            parts.append("column(s) given twice " + ", ".join(twice))
        raise ImportFileError(
            f"{name}: " + "; ".join(parts) + f". Columns of {kind}: " + ", ".join(COLUMNS[kind]),
            details=details,
        )
    return header


class CellError(CodedValueError):
    """A cell a rule refuses: its column, and the code and parameters that say why."""

    def __init__(self, code: str, message: str, *, column: str, **params: Any) -> None:
        super().__init__(code, message, **params)
        self.column = column


# ---------------------------------------------------------------- cell values


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def parse_names(primary: str | None, lang: str | None, others: str | None) -> list[dict[str, Any]]:
    """The name columns as NameIn fields; `other_names` holds "lang:kind:value" items split by " | "."""
    names: list[dict[str, Any]] = []
    if primary:
        names.append({"value": primary, "lang": lang or None})
    names += [name_spec(item) for item in (others or "").split("|") if item.strip()]
    return names


def format_names(names: Iterable[Any]) -> str:
    out = []
    for n in names:
        prefix = "".join(f"{p}:" for p in (n.lang, getattr(n, "kind", None)) if p)
        out.append(prefix + n.value)
    return " | ".join(out)


def _bool(value: Any, column: str = "illustrative") -> bool:
    text = (_text(value) or "").lower()
    if text in {"", "0", "no", "false", "нет", "n"}:
        return False
    if text in {"1", "yes", "true", "да", "y", "x"}:
        return True
    raise CellError("yes_no", "must be yes or no", column=column)


# ---------------------------------------------------------------- import


def import_file(
    *,
    session: Session,
    actor: Actor,
    kind: RecordKind,
    name: str,
    content: bytes,
    progress: Progress | None = None,
    limit: int | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a spreadsheet of `kind` into the registry; the caller commits. Files over `limit`
    bytes (default: the COOPLAB_MAX_UPLOAD_BYTES setting) are refused. A dry run checks and
    counts every row as the import would, then writes nothing: the preview of an import."""
    actor.require(Permission.EDIT_REGISTRY)
    if kind not in COLUMNS:
        raise ImportFileError(f"unknown kind {kind!r}: use org, person or place")
    limit = limit or get_settings().max_upload_bytes
    if len(content) > limit:
        raise too_large(name, limit)
    headings, rows, total = read_rows(content, name)
    header = _check_header(headings, kind, name)
    records = []
    errors: list[dict[str, Any]] = []
    for line, values in rows:
        row = {h: _text(v) for h, v in zip(header, values, strict=False) if h}
        try:
            records.append((line, _PARSERS[kind](row)))
        except ValidationError as exc:
            for err in exc.errors():
                code, params = error_code(err)
                errors.append(field_error([name, line, _column_of(err["loc"])], err["msg"], code, **params))
        except CellError as exc:
            errors.append(field_error([name, line, exc.column], str(exc), exc.code, **exc.params))
        except ValueError as exc:
            field, _, msg = str(exc).partition(": ")
            errors.append({"loc": [name, line, field], "msg": msg or str(exc)})
        if progress and line % 1000 == 0:
            progress(line - 1, total)
    if not records and not errors:
        raise ImportFileError(
            f"{name}: no data rows below the header", details=[{"loc": [name, 2], "msg": "no rows"}]
        )
    writers: dict[str, Callable[..., list[dict[str, Any]]]] = {
        "org": _write_orgs,
        "person": _write_people,
        "place": _write_places,
    }
    writer = writers[kind]
    columns = set(header)
    report = ImportReport(
        file=name,
        kind=kind,
        rows=len(records) + len({e["loc"][1] for e in errors}),
        created=0,
        updated=0,
        unchanged=0,
    )
    if not errors:
        if not dry_run:
            name_change(session, Activity.IMPORT)
        savepoint = session.begin_nested()
        errors = writer(session, records, report, name, columns)
        if errors or dry_run:
            savepoint.rollback()
        else:
            record(
                session,
                action="import",
                entity_type=_TABLES[kind],
                after={"file": name, **report.model_dump(exclude={"file", "kind"})},
            )
            savepoint.commit()
    if errors:
        shown = errors[:MAX_REPORTED]
        lines = "; ".join(f"row {e['loc'][1]}, {e['loc'][2]}: {e['msg']}" for e in shown[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ImportFileError(
            f"{name}: {len(errors)} problem(s), nothing was imported: {lines}{more}", details=shown
        )
    session.flush()
    if progress:
        progress(total, total)
    return report


#: The table whose records an import of each kind writes (the audit entry of the import names it).
_TABLES = {"org": "organizations", "person": "people", "place": "places"}
_FIELD_COLUMNS = {"names": "name", "identifiers": "inn", "head_office_id": "head_office"}


def _column_of(loc: tuple[Any, ...]) -> str:
    if not loc:
        return "row"
    if loc[0] == "identifiers" and len(loc) > 1:
        return "identifier"
    if loc[0] == "names" and len(loc) > 1 and loc[1] != 0:
        return "other_names"
    return _FIELD_COLUMNS.get(str(loc[0]), str(loc[0]))


class OrgRow(BaseModel):
    data: OrganizationCreate
    head_office: str | None
    unverified: frozenset[tuple[str, str]] = frozenset()  # (scheme, number) of members' claims

    def verified(self, ident: IdentifierIn) -> bool:
        return (ident.scheme.value, ident.value) not in self.unverified


def _parse_claims(text: str | None) -> tuple[set[str], list[tuple[str, str]]]:
    """The `unverified` column: `scheme:number` for each claimed number, or a bare scheme
    (inn, ogrn, stir) when the number in that scheme's column is the claim."""
    schemes, claims = set(), []
    for word in (text or "").replace(",", " ").split():
        scheme, _, number = word.partition(":")
        if scheme.lower() not in {s.value for s in IdentifierScheme}:
            raise CellError(
                "scheme",
                f"unknown scheme {scheme!r}; use " + ", ".join(s.value for s in IdentifierScheme),
                column="unverified",
            )
        if number:
            claims.append((scheme.lower(), number))
        else:
            schemes.add(scheme.lower())
    return schemes, claims


def _parse_org(row: dict[str, str | None]) -> OrgRow:
    identifiers, columns = [], []  # each number and the column it was read from
    for scheme in IdentifierScheme:
        if row.get(scheme.value):
            identifiers.append({"scheme": scheme.value, "value": row[scheme.value]})
            columns.append(scheme.value)
    illustrative = _bool(row.get("illustrative"))
    schemes, claims = _parse_claims(row.get("unverified"))
    claimed = [i for i, ident in enumerate(identifiers) if ident["scheme"] in schemes]
    for scheme_value, number in claims:
        claimed.append(len(identifiers))
        identifiers.append({"scheme": scheme_value, "value": number})
        columns.append("unverified")
    try:
        data = OrganizationCreate(
            names=parse_names(row.get("name"), row.get("name_lang"), row.get("other_names")),
            kind=(row.get("kind") or "").lower(),
            tier=row.get("tier"),
            country=row.get("country"),
            website=row.get("website"),
            description=row.get("description"),
            identifiers=identifiers,
            illustrative=illustrative,
        )
    except ValidationError as exc:
        # name the identifier's column (inn/ogrn/stir, or unverified) rather than its index
        for err in exc.errors():
            if err["loc"][:1] == ("identifiers",) and len(err["loc"]) > 1:
                index = int(err["loc"][1])
                what = identifiers[index]["scheme"]
                code, params = error_code(err)
                message = err["msg"].removeprefix("Value error, ")
                if columns[index] != what:
                    message = f"{what}:{identifiers[index]['value']}: {message}"
                raise CellError(code, message, column=columns[index], **params) from None
        raise
    unverified = frozenset((data.identifiers[i].scheme.value, data.identifiers[i].value) for i in claimed)
    return OrgRow(data=data, head_office=row.get("head_office"), unverified=unverified)


class PersonRow(BaseModel):
    names: list[NameIn]
    position: PositionIn | None
    organization: str | None
    illustrative: bool


def _parse_person(row: dict[str, str | None]) -> PersonRow:
    names = [NameIn(**n) for n in parse_names(row.get("name"), row.get("name_lang"), row.get("other_names"))]
    if not names:
        raise CellError("required", "must not be empty", column="name")
    position = None
    if row.get("title"):
        position = PositionIn(
            title=row["title"], title_en=row.get("title_en"), start=row.get("start"), end=row.get("end")
        )
    elif row.get("organization"):
        raise CellError("position_title", "a position needs a title", column="title")
    return PersonRow(
        names=names,
        position=position,
        organization=row.get("organization"),
        illustrative=_bool(row.get("illustrative")),
    )


class PlaceRow(BaseModel):
    data: PlaceCreate
    parent: str | None


def _parse_place(row: dict[str, str | None]) -> PlaceRow:
    data = PlaceCreate(
        names=parse_names(row.get("name"), row.get("name_lang"), row.get("other_names")),
        kind=(row.get("kind") or "city").lower(),
        country=row.get("country") or "",
        geonames_id=row.get("geonames_id"),
        latitude=row.get("latitude"),
        longitude=row.get("longitude"),
        illustrative=_bool(row.get("illustrative")),
    )
    return PlaceRow(data=data, parent=row.get("parent"))


_PARSERS: dict[str, Callable[[dict[str, str | None]], Any]] = {
    "org": _parse_org,
    "person": _parse_person,
    "place": _parse_place,
}


class _PlaceLookup:
    """Places named in a sheet: by GeoNames id or by any name."""

    def __init__(self, session: Session) -> None:
        self.by_geonames = dict(
            session.execute(select(Place.geonames_id, Place.id).where(Place.geonames_id.is_not(None))).all()
        )
        self.by_key: dict[str, int] = {}
        for key, place_id in session.execute(
            select(PlaceName.key, PlaceName.place_id).order_by(PlaceName.id.desc())
        ):
            self.by_key[key] = place_id

    def find(self, ref: str) -> int | None:
        if ref.isdigit():
            return self.by_geonames.get(int(ref))
        return self.by_key.get(name_key(ref))


_ORG_FIELDS = ("kind", "tier", "country", "head_office_id", "website", "description", "illustrative")


def _present(fields: dict[str, Any], columns: set[str]) -> dict[str, Any]:
    """Only the fields whose columns the sheet has: a missing column leaves the value alone."""
    return {f: v for f, v in fields.items() if _COLUMN_OF_FIELD.get(f, f) in columns}


_COLUMN_OF_FIELD = {"head_office_id": "head_office", "parent_id": "parent"}


def _write_orgs(
    session: Session, records: list[tuple[int, OrgRow]], report: ImportReport, name: str, columns: set[str]
) -> list[dict[str, Any]]:
    places = _PlaceLookup(session)
    errors: list[dict[str, Any]] = []
    by_identifier = identifier_holders(
        session,
        [(i.scheme.value, i.value) for _, rec in records for i in rec.data.identifiers if rec.verified(i)],
    )
    live = select(Organization.id).where(Organization.merged_into_id.is_(None))
    by_key: dict[str, int] = {}
    for key, org_id in session.execute(
        select(OrganizationName.key, OrganizationName.organization_id).where(
            OrganizationName.organization_id.in_(live)
        )
    ):
        by_key.setdefault(key, org_id)
    existing = {
        r.id: r
        for r in session.execute(
            select(
                Organization.id, Organization.version, *[getattr(Organization, f) for f in _ORG_FIELDS]
            ).where(Organization.merged_into_id.is_(None))
        )
    }
    names_of: dict[int, set[str]] = defaultdict(set)
    idents_of: dict[int, set[tuple[str, str]]] = defaultdict(set)

    new_rows: list[tuple[int, dict[str, Any], OrgRow]] = []
    updates: list[dict[str, Any]] = []
    seen_in_file: dict[str, int] = {}
    matched: list[tuple[int, int, OrgRow]] = []
    trail: list[dict[str, Any]] = []  # audit entries of the bulk writes below
    grown: set[int] = set()  # lines whose organization changes (fields, names or identifiers)
    for line, rec in records:
        data = rec.data
        head_office_id = None
        if rec.head_office:
            head_office_id = places.find(rec.head_office)
            if head_office_id is None:
                errors.append(
                    field_error(
                        [name, line, "head_office"],
                        f"no place {rec.head_office!r} in the registry",
                        "place_missing",
                    )
                )
                continue
        target = None
        for ident in data.identifiers:
            if not rec.verified(ident):  # a claim matches no record
                continue
            target = by_identifier.get((ident.scheme.value, ident.value))
            if target:
                break
        if target is None:
            target = by_key.get(name_key(data.names[0].value))
        fields = {f: getattr(data, f) for f in _ORG_FIELDS if f != "head_office_id"}
        fields["kind"] = data.kind.value
        fields["head_office_id"] = head_office_id
        if target is None:
            key = name_key(data.names[0].value)
            if key in seen_in_file:
                errors.append(
                    field_error(
                        [name, line, "name"],
                        f"same organization as row {seen_in_file[key]}",
                        "same_as_row",
                        row=seen_in_file[key],
                    )
                )
                continue
            seen_in_file[key] = line
            new_rows.append((line, {"name": data.names[0].value, **fields}, rec))
        else:
            matched.append((line, target, rec))
            current = existing.get(target)
            if current is None:
                continue
            fields = _present(fields, columns)
            changed = {f: v for f, v in fields.items() if getattr(current, f) != v}
            if changed:
                updates.append(
                    {"id": target, "version": current.version + 1, "updated_at": utcnow(), **fields}
                )
                trail.append(
                    {
                        "action": "update",
                        "entity_type": "organizations",
                        "entity_id": target,
                        "before": {f: plain(getattr(current, f)) for f in changed},
                        "after": {f: plain(v) for f, v in changed.items()},
                    }
                )
                grown.add(line)
    if errors:
        return errors

    now = utcnow()
    ids: list[int] = []
    if new_rows:
        result = session.execute(
            insert(Organization).returning(Organization.id, sort_by_parameter_order=True),
            [{**row, "version": 1, "created_at": now, "updated_at": now} for _, row, _ in new_rows],
            execution_options=BULK,
        )
        ids = list(result.scalars())
        trail += [
            {
                "action": "create",
                "entity_type": "organizations",
                "entity_id": org_id,
                "after": {k: plain(v) for k, v in row.items()},
            }
            for org_id, (_, row, _) in zip(ids, new_rows, strict=True)
        ]
    report.created = len(ids)
    match_ids = sorted({t for _, t, _ in matched})
    for chunk in batched(match_ids, 10_000):  # PostgreSQL takes at most 65,535 parameters
        for org_id, value in session.execute(
            select(OrganizationName.organization_id, OrganizationName.value).where(
                OrganizationName.organization_id.in_(chunk)
            )
        ):
            names_of[org_id].add(value)
        for org_id, scheme, value in session.execute(
            select(Identifier.organization_id, Identifier.scheme, Identifier.value).where(
                Identifier.organization_id.in_(chunk)
            )
        ):
            idents_of[org_id].add((scheme, value))
    name_rows: list[dict[str, Any]] = []
    ident_rows: list[dict[str, Any]] = []
    owners = [(line, org_id, rec) for (line, _, rec), org_id in zip(new_rows, ids, strict=True)] + matched
    for line, org_id, rec in owners:
        fresh = [n for n in rec.data.names if n.value not in names_of[org_id]]
        names_of[org_id].update(n.value for n in fresh)
        name_rows += [{"organization_id": org_id, **row} for row in name_values(fresh)]
        if fresh:
            grown.add(line)
        verified = [i for i in rec.data.identifiers if rec.verified(i)]
        conflicts = identifier_conflicts(by_identifier, verified, org_id)
        for conflict in conflicts:
            ident = verified[conflict["loc"][1]]
            errors.append(
                field_error(
                    [name, line, ident.scheme.value],
                    f"{ident.value} already belongs to organization {conflict['params']['id']}",
                    "identifier_taken",
                    **conflict["params"],
                )
            )
        for ident in rec.data.identifiers if not conflicts else ():
            pair = (ident.scheme.value, ident.value)
            if pair not in idents_of[org_id]:
                idents_of[org_id].add(pair)
                if rec.verified(ident):
                    by_identifier[pair] = org_id
                ident_rows.append(
                    {
                        "organization_id": org_id,
                        "scheme": pair[0],
                        "value": pair[1],
                        "verified": rec.verified(ident),
                    }
                )
                grown.add(line)
    if errors:
        return errors
    table = cast(Table, Organization.__table__)
    updated = {u["id"] for u in updates}
    if updates:
        session.execute(
            update(table).where(table.c.id == bindparam("row_id")),
            [{"row_id": u.pop("id"), **u} for u in updates],
        )
    # an organization that only gained names or identifiers is changed too: its version moves
    versions = {
        target: existing[target].version + 1
        for line, target, _ in matched
        if line in grown and target not in updated and target in existing
    }
    if versions:
        session.execute(
            update(table).where(table.c.id == bindparam("row_id")),
            [{"row_id": i, "version": v, "updated_at": now} for i, v in versions.items()],
        )
    for line, target, _ in matched:
        if target in existing:
            if line in grown:
                report.updated += 1
            else:
                report.unchanged += 1
    for model, rows in ((OrganizationName, name_rows), (Identifier, ident_rows)):
        if rows:
            result = session.execute(
                insert(model).returning(model.id, sort_by_parameter_order=True),
                rows,
                execution_options=BULK,
            )
            trail += [
                {
                    "action": "create",
                    "entity_type": model.__tablename__,
                    "entity_id": row_id,
                    "after": {k: plain(v) for k, v in row.items()},
                }
                for row_id, row in zip(result.scalars(), rows, strict=True)
            ]
    record_many(session, trail)
    return []


def _write_people(
    session: Session, records: list[tuple[int, PersonRow]], report: ImportReport, name: str, columns: set[str]
) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    org_by_key: dict[str, int] = {}
    for key, org_id in session.execute(
        select(OrganizationName.key, OrganizationName.organization_id)
        .join(Organization)
        .where(Organization.merged_into_id.is_(None))
    ):
        org_by_key.setdefault(key, org_id)
    person_by_key: dict[str, Person] = {}
    for person in session.scalars(select(Person)):
        for n in person.names:
            person_by_key.setdefault(n.key, person)
    touched: set[int] = set()
    for line, rec in records:
        org_id = None
        if rec.organization:
            org_id = org_by_key.get(name_key(rec.organization))
            if org_id is None:
                errors.append(
                    field_error(
                        [name, line, "organization"],
                        f"no organization {rec.organization!r} in the registry",
                        "org_missing",
                    )
                )
                continue
        person = next(
            (person_by_key[k] for k in (name_key(n.value) for n in rec.names) if k in person_by_key), None
        )
        changed = False
        if person is None:
            person = Person(name=rec.names[0].value, illustrative=rec.illustrative, names=[])
            session.add(person)
            report.created += 1
            touched.add(id(person))
        have = {n.value for n in person.names}
        for n in rec.names:
            if n.value not in have:
                person.names += name_rows(PersonName, [n])
                have.add(n.value)
                changed = True
            person_by_key.setdefault(name_key(n.value), person)
        if rec.position:
            pos = rec.position
            same = [p for p in person.positions if p.title == pos.title and p.organization_id == org_id]
            if not same:
                person.positions.append(Position(**{**pos.model_dump(), "organization_id": org_id}))
                changed = True
            elif any((p.start, p.end, p.title_en) != (pos.start, pos.end, pos.title_en) for p in same):
                same[0].start, same[0].end, same[0].title_en = pos.start, pos.end, pos.title_en
                changed = True
        if id(person) not in touched:
            touched.add(id(person))
            if changed:
                person.updated_at = utcnow()
                report.updated += 1
            else:
                report.unchanged += 1
    if not errors:
        session.flush()
    return errors


def _write_places(
    session: Session, records: list[tuple[int, PlaceRow]], report: ImportReport, name: str, columns: set[str]
) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    lookup = _PlaceLookup(session)
    for line, rec in records:
        data = rec.data
        parent_id = None
        if rec.parent:
            parent_id = lookup.find(rec.parent)
            if parent_id is None:
                errors.append(
                    field_error(
                        [name, line, "parent"], f"no place {rec.parent!r} in the registry", "place_missing"
                    )
                )
                continue
        place_id = lookup.by_geonames.get(data.geonames_id) if data.geonames_id else None
        if place_id is None:
            candidate = lookup.by_key.get(name_key(data.names[0].value))
            place = session.get(Place, candidate) if candidate else None
            place_id = place.id if place is not None and place.country == data.country else None
        fields = {**data.model_dump(exclude={"names"}), "parent_id": parent_id}
        fields["kind"] = data.kind.value
        if place_id is None:
            place = Place(name=data.names[0].value, names=name_rows(PlaceName, data.names), **fields)
            session.add(place)
            session.flush()
            report.created += 1
        else:
            place = session.get(Place, place_id)
            assert place is not None
            fields = _present(fields, columns)
            have = {n.value for n in place.names}
            fresh = [n for n in data.names if n.value not in have]
            changed = bool(fresh) or any(getattr(place, f) != v for f, v in fields.items())
            for f, v in fields.items():
                setattr(place, f, v)
            place.names += name_rows(PlaceName, fresh)
            if changed:
                place.updated_at = utcnow()
                report.updated += 1
            else:
                report.unchanged += 1
            session.flush()
        for n in place.names:
            lookup.by_key.setdefault(n.key, place.id)
        if place.geonames_id:
            lookup.by_geonames[place.geonames_id] = place.id
    return errors


# ---------------------------------------------------------------- export


def export_rows(*, session: Session, kind: RecordKind) -> Iterator[list[Any]]:
    """The header and one row per record (per position for people), in the import's columns."""
    yield COLUMNS[kind]
    if kind == "org":
        places = {
            p.id: (str(p.geonames_id) if p.geonames_id else p.name) for p in session.scalars(select(Place))
        }
        names: dict[int, list[OrganizationName]] = defaultdict(list)
        for n in session.scalars(select(OrganizationName).order_by(OrganizationName.id)):
            names[n.organization_id].append(n)
        # a scheme's column holds the verified number; each claim is `scheme:number` in `unverified`,
        # so a claim beside a verified number of its scheme is kept (docs/spreadsheets.md)
        idents: dict[int, dict[str, str]] = defaultdict(dict)
        claimed: dict[int, list[str]] = defaultdict(list)
        for i in session.scalars(select(Identifier).order_by(Identifier.id)):
            if i.verified:
                idents[i.organization_id].setdefault(i.scheme, i.value)
            else:
                claimed[i.organization_id].append(f"{i.scheme}:{i.value}")
        for org in session.scalars(
            select(Organization).where(Organization.merged_into_id.is_(None)).order_by(Organization.id)
        ):
            own = names[org.id]
            primary = next((n for n in own if n.value == org.name), own[0] if own else None)
            others = [n for n in own if n is not primary]
            yield [
                org.name,
                primary.lang if primary else None,
                format_names(others),
                org.kind,
                org.tier,
                org.country,
                places.get(org.head_office_id) if org.head_office_id else None,
                org.website,
                org.description,
                idents[org.id].get("inn"),
                idents[org.id].get("ogrn"),
                idents[org.id].get("stir"),
                ", ".join(claimed[org.id]) or None,
                "yes" if org.illustrative else "no",
            ]
    elif kind == "person":
        orgs = dict(session.execute(select(Organization.id, Organization.name)).all())
        for person in session.scalars(select(Person).order_by(Person.id)):
            primary, others = person.names[0], person.names[1:]
            base = [person.name, primary.lang, format_names(others)]
            flag = "yes" if person.illustrative else "no"
            positions: list[Position | None] = list(person.positions) or [None]
            for pos in positions:
                if pos is None:
                    yield [*base, None, None, None, None, None, flag]
                else:
                    yield [
                        *base,
                        pos.title,
                        pos.title_en,
                        orgs.get(pos.organization_id) if pos.organization_id else None,
                        pos.start.isoformat() if pos.start else None,
                        pos.end.isoformat() if pos.end else None,
                        flag,
                    ]
    else:
        refs = {
            p.id: (str(p.geonames_id) if p.geonames_id else p.name) for p in session.scalars(select(Place))
        }
        # parents first, so that an import of the file finds each parent before its children
        places = sorted(
            session.scalars(select(Place)), key=lambda p: ({"country": 0, "region": 1}.get(p.kind, 2), p.id)
        )
        for place in places:
            primary, others = place.names[0], place.names[1:]
            yield [
                place.name,
                primary.lang,
                format_names(others),
                place.kind,
                place.country,
                place.geonames_id,
                place.latitude,
                place.longitude,
                refs.get(place.parent_id) if place.parent_id else None,
                "yes" if place.illustrative else "no",
            ]


def export_records(*, session: Session, actor: Actor, kind: RecordKind, fmt: Literal["xlsx", "csv"]) -> bytes:
    """The records of `kind` as an XLSX workbook or a UTF-8 CSV file; no cell ever runs as a
    formula in a spreadsheet program."""
    actor.require(Permission.READ)
    rows = export_rows(session=session, kind=kind)
    return write_csv(rows) if fmt == "csv" else write_xlsx({kind: rows})
