"""REST routes of the registry: parse, call the service, return its public shape."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel

from cooplab.core.answers import kept_answer
from cooplab.core.confidential import reader_key
from cooplab.core.http import (
    ERROR_RESPONSES,
    EditorDep,
    NoteWriterDep,
    OwnEditorDep,
    PageDep,
    PathId,
    ReaderDep,
    SessionDep,
    query_filter,
)
from cooplab.core.routes import ApiRoute
from cooplab.core.schemas import ListPublic, RecordId
from cooplab.core.spreadsheets import MEDIA_TYPES, read_upload
from cooplab.registry import claims, exchange, merge, notes, service
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.models import Stamp
from cooplab.registry.schemas import (
    CitationCreate,
    CitationPublic,
    DuplicatePair,
    IdentifierPublic,
    MembershipChange,
    MembershipCreate,
    MembershipPublic,
    MergeResult,
    OrganizationCreate,
    OrganizationPublic,
    OrganizationSummary,
    OrganizationUpdate,
    OwnershipChange,
    OwnershipCreate,
    OwnershipPublic,
    PersonCreate,
    PersonPublic,
    PersonSummary,
    PersonUpdate,
    PlaceCreate,
    PlaceDetail,
    PlacePublic,
    PlaceUpdate,
    PositionIn,
    PositionPublic,
    SearchHit,
    SiteChange,
    SiteCreate,
    SitePublic,
    SourceCreate,
    SourcePublic,
)
from cooplab.registry.search import search_everything
from cooplab.vocab.choices import SearchType

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)
NO_CONTENT = Response(status_code=204)


# ---------------------------------------------------------------- search


@router.get("/search", tags=["search"], response_model=ListPublic[SearchHit])
def search(
    actor: ReaderDep,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    type: SearchType | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ListPublic[SearchHit]:
    """Organizations, people and places by any of their names, and the missions, events and
    agreements the reader may see by their titles, best first."""
    hits = search_everything(
        session=session, actor=actor, query=q, types={type.value} if type else None, limit=limit
    )
    return ListPublic(data=hits, count=len(hits))


# ---------------------------------------------------------------- organizations


@router.get("/organizations", tags=["organizations"], response_model=ListPublic[OrganizationSummary])
def read_organizations(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    request: Request,
    filters: Annotated[OrganizationFilter, Depends(query_filter(OrganizationFilter))],
) -> Response:
    return kept_answer(
        request,
        session,
        Stamp.RECORDS,
        lambda: service.list_organizations(
            session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
        ),
    )


@router.post("/organizations", tags=["organizations"], status_code=201, response_model=OrganizationPublic)
def create_organization(
    actor: EditorDep, session: SessionDep, data: OrganizationCreate
) -> OrganizationPublic:
    org = service.create_organization(session=session, actor=actor, data=data)
    session.commit()
    return org


@router.get("/organizations/{organization_id}", tags=["organizations"], response_model=OrganizationPublic)
def read_organization(
    actor: ReaderDep, session: SessionDep, request: Request, organization_id: PathId
) -> Response:
    return kept_answer(
        request,
        session,
        Stamp.RECORDS,
        lambda: service.organization_detail(session=session, actor=actor, organization_id=organization_id),
        reader_key(actor),
    )


@router.patch("/organizations/{organization_id}", tags=["organizations"], response_model=OrganizationPublic)
def update_organization(
    actor: OwnEditorDep, session: SessionDep, organization_id: PathId, data: OrganizationUpdate
) -> OrganizationPublic:
    """Edit an organization; send the `version` you read, a newer one in the registry gives 409."""
    org = service.update_organization(
        session=session, actor=actor, organization_id=organization_id, data=data
    )
    session.commit()
    return org


@router.delete("/organizations/{organization_id}", tags=["organizations"], status_code=204)
def delete_organization(actor: EditorDep, session: SessionDep, organization_id: PathId) -> Response:
    service.delete_organization(session=session, actor=actor, organization_id=organization_id)
    session.commit()
    return NO_CONTENT


@router.post(
    "/organizations/{organization_id}/sites",
    tags=["organizations"],
    status_code=201,
    response_model=SitePublic,
)
def create_site(
    actor: OwnEditorDep, session: SessionDep, organization_id: PathId, data: SiteCreate
) -> SitePublic:
    site = service.add_site(session=session, actor=actor, organization_id=organization_id, data=data)
    session.commit()
    return site


@router.post("/ownerships", tags=["organizations"], status_code=201, response_model=OwnershipPublic)
def create_ownership(actor: EditorDep, session: SessionDep, data: OwnershipCreate) -> OwnershipPublic:
    link = service.add_ownership(session=session, actor=actor, data=data)
    session.commit()
    return link


@router.post("/memberships", tags=["organizations"], status_code=201, response_model=MembershipPublic)
def create_membership(actor: EditorDep, session: SessionDep, data: MembershipCreate) -> MembershipPublic:
    link = service.add_membership(session=session, actor=actor, data=data)
    session.commit()
    return link


def _remove(actor: EditorDep, session: SessionDep, kind: str, link_id: int) -> Response:
    service.remove_link(session=session, actor=actor, kind=kind, link_id=link_id)
    session.commit()
    return NO_CONTENT


@router.delete("/ownerships/{link_id}", tags=["organizations"], status_code=204)
def delete_ownership(actor: EditorDep, session: SessionDep, link_id: PathId) -> Response:
    return _remove(actor, session, "ownership", link_id)


@router.delete("/memberships/{link_id}", tags=["organizations"], status_code=204)
def delete_membership(actor: EditorDep, session: SessionDep, link_id: PathId) -> Response:
    return _remove(actor, session, "membership", link_id)


@router.delete("/sites/{link_id}", tags=["organizations"], status_code=204)
def delete_site(actor: EditorDep, session: SessionDep, link_id: PathId) -> Response:
    return _remove(actor, session, "site", link_id)


@router.patch("/ownerships/{link_id}", tags=["organizations"], response_model=OwnershipPublic)
def update_ownership(actor: EditorDep, session: SessionDep, link_id: PathId, data: OwnershipChange) -> Any:
    """Change an owner's share or dates; the fields sent change, the others stay."""
    return _update(actor, session, "ownership", link_id, data)


@router.patch("/memberships/{link_id}", tags=["organizations"], response_model=MembershipPublic)
def update_membership(actor: EditorDep, session: SessionDep, link_id: PathId, data: MembershipChange) -> Any:
    """Change the dates of a membership; the fields sent change, the others stay."""
    return _update(actor, session, "membership", link_id, data)


@router.patch("/sites/{link_id}", tags=["organizations"], response_model=SitePublic)
def update_site(actor: EditorDep, session: SessionDep, link_id: PathId, data: SiteChange) -> Any:
    """Change what a production site makes."""
    return _update(actor, session, "site", link_id, data)


def _update(
    actor: EditorDep,
    session: SessionDep,
    kind: str,
    link_id: int,
    data: OwnershipChange | MembershipChange | SiteChange,
) -> Any:
    link = service.update_link(session=session, actor=actor, kind=kind, link_id=link_id, data=data)
    session.commit()
    return link


# ---------------------------------------------------------------- duplicates and merges


class MergeRequest(BaseModel):
    survivor_id: RecordId
    merged_id: RecordId


@router.get("/duplicates", tags=["dedupe"], response_model=ListPublic[DuplicatePair])
def read_duplicates(actor: ReaderDep, session: SessionDep, paging: PageDep) -> ListPublic[DuplicatePair]:
    """Likely duplicate organizations, best first, with the reason for each pair (analysts and
    admins)."""
    return merge.list_duplicates(session=session, actor=actor, offset=paging.offset, limit=paging.limit)


@router.post("/merges", tags=["dedupe"], status_code=201, response_model=MergeResult)
def create_merge(actor: EditorDep, session: SessionDep, data: MergeRequest) -> MergeResult:
    """Merge `merged_id` into `survivor_id`; the survivor keeps everything of both."""
    result = merge.merge_organizations(
        session=session, actor=actor, survivor_id=data.survivor_id, merged_id=data.merged_id
    )
    session.commit()
    return result


@router.post("/merges/{merge_id}/undo", tags=["dedupe"], response_model=OrganizationPublic)
def undo_merge(actor: EditorDep, session: SessionDep, merge_id: PathId) -> OrganizationPublic:
    """Undo a merge; returns the organization restored."""
    restored = merge.unmerge(session=session, actor=actor, merge_id=merge_id)
    session.commit()
    return restored


# ---------------------------------------------------------------- identifiers claimed by members


@router.get("/identifiers/claims", tags=["dedupe"], response_model=ListPublic[claims.IdentifierClaim])
def read_identifier_claims(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    conflicts: Annotated[bool, Query(description="only claims another organization shares")] = False,
) -> ListPublic[claims.IdentifierClaim]:
    """Unverified identifiers set by members, conflicts first, each with the other organizations
    holding the same number (analysts and admins; a read-only token of theirs will do)."""
    return claims.list_claims(
        session=session, actor=actor, conflicts_only=conflicts, offset=paging.offset, limit=paging.limit
    )


@router.post("/identifiers/{identifier_id}/verify", tags=["dedupe"], response_model=IdentifierPublic)
def verify_identifier(actor: EditorDep, session: SessionDep, identifier_id: PathId) -> IdentifierPublic:
    """Confirm a member's claim; 409 while another organization holds the number verified."""
    verified = claims.verify_identifier(session=session, actor=actor, identifier_id=identifier_id)
    session.commit()
    return verified


@router.post("/identifiers/{identifier_id}/reject", tags=["dedupe"], status_code=204)
def reject_identifier(actor: EditorDep, session: SessionDep, identifier_id: PathId) -> Response:
    """Refuse a member's claim: the number is removed from the organization that set it."""
    claims.reject_identifier(session=session, actor=actor, identifier_id=identifier_id)
    session.commit()
    return NO_CONTENT


# ---------------------------------------------------------------- people


@router.get("/people", tags=["people"], response_model=ListPublic[PersonSummary])
def read_people(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    request: Request,
    filters: Annotated[PersonFilter, Depends(query_filter(PersonFilter))],
) -> Response:
    return kept_answer(
        request,
        session,
        Stamp.RECORDS,
        lambda: service.list_people(
            session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
        ),
    )


@router.post("/people", tags=["people"], status_code=201, response_model=PersonPublic)
def create_person(actor: EditorDep, session: SessionDep, data: PersonCreate) -> PersonPublic:
    person = service.create_person(session=session, actor=actor, data=data)
    session.commit()
    return person


@router.get("/people/{person_id}", tags=["people"], response_model=PersonPublic)
def read_person(actor: ReaderDep, session: SessionDep, request: Request, person_id: PathId) -> Response:
    return kept_answer(
        request,
        session,
        Stamp.RECORDS,
        lambda: service.person_detail(session=session, actor=actor, person_id=person_id),
        reader_key(actor),
    )


@router.patch("/people/{person_id}", tags=["people"], response_model=PersonPublic)
def update_person(
    actor: EditorDep, session: SessionDep, person_id: PathId, data: PersonUpdate
) -> PersonPublic:
    person = service.update_person(session=session, actor=actor, person_id=person_id, data=data)
    session.commit()
    return person


@router.delete("/people/{person_id}", tags=["people"], status_code=204)
def delete_person(actor: EditorDep, session: SessionDep, person_id: PathId) -> Response:
    service.delete_person(session=session, actor=actor, person_id=person_id)
    session.commit()
    return NO_CONTENT


@router.post("/people/{person_id}/positions", tags=["people"], status_code=201, response_model=PositionPublic)
def create_position(
    actor: EditorDep, session: SessionDep, person_id: PathId, data: PositionIn
) -> PositionPublic:
    position = service.add_position(session=session, actor=actor, person_id=person_id, data=data)
    session.commit()
    return position


# ---------------------------------------------------------------- places


@router.get("/places", tags=["places"], response_model=ListPublic[PlacePublic])
def read_places(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    request: Request,
    filters: Annotated[PlaceFilter, Depends(query_filter(PlaceFilter))],
) -> Response:
    return kept_answer(
        request,
        session,
        Stamp.RECORDS,
        lambda: service.list_places(
            session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
        ),
    )


@router.post("/places", tags=["places"], status_code=201, response_model=PlaceDetail)
def create_place(actor: EditorDep, session: SessionDep, data: PlaceCreate) -> PlaceDetail:
    place = service.create_place(session=session, actor=actor, data=data)
    session.commit()
    return place


@router.get("/places/{place_id}", tags=["places"], response_model=PlaceDetail)
def read_place(actor: ReaderDep, session: SessionDep, request: Request, place_id: PathId) -> Response:
    return kept_answer(
        request,
        session,
        Stamp.RECORDS,
        lambda: service.place_detail(session=session, actor=actor, place_id=place_id),
        reader_key(actor),
    )


@router.patch("/places/{place_id}", tags=["places"], response_model=PlaceDetail)
def update_place(actor: EditorDep, session: SessionDep, place_id: PathId, data: PlaceUpdate) -> PlaceDetail:
    place = service.update_place(session=session, actor=actor, place_id=place_id, data=data)
    session.commit()
    return place


@router.delete("/places/{place_id}", tags=["places"], status_code=204)
def delete_place(actor: EditorDep, session: SessionDep, place_id: PathId) -> Response:
    service.delete_place(session=session, actor=actor, place_id=place_id)
    session.commit()
    return NO_CONTENT


# ---------------------------------------------------------------- sources and citations


@router.get("/sources", tags=["sources"], response_model=ListPublic[SourcePublic])
def read_sources(actor: ReaderDep, session: SessionDep, paging: PageDep) -> ListPublic[SourcePublic]:
    return service.list_sources(session=session, actor=actor, offset=paging.offset, limit=paging.limit)


@router.post("/sources", tags=["sources"], status_code=201, response_model=SourcePublic)
def create_source(actor: OwnEditorDep, session: SessionDep, data: SourceCreate) -> SourcePublic:
    source = service.create_source(session=session, actor=actor, data=data)
    session.commit()
    return source


@router.get("/sources/{source_id}", tags=["sources"], response_model=SourcePublic)
def read_source(actor: ReaderDep, session: SessionDep, source_id: PathId) -> SourcePublic:
    return service.get_source(session=session, actor=actor, source_id=source_id)


@router.post(
    "/{subject}/{subject_id}/citations", tags=["sources"], status_code=201, response_model=CitationPublic
)
def create_citation(
    actor: OwnEditorDep,
    session: SessionDep,
    subject: Literal["organizations", "people", "places", "ownerships", "memberships", "positions", "sites"],
    subject_id: PathId,
    data: CitationCreate,
) -> CitationPublic:
    """Cite a source for a record or one of its facts."""
    subject_type = {"people": "person"}.get(subject, subject[:-1])
    citation = service.cite(
        session=session, actor=actor, subject_type=subject_type, subject_id=subject_id, data=data
    )
    session.commit()
    return citation


@router.delete("/citations/{citation_id}", tags=["sources"], status_code=204)
def delete_citation(actor: EditorDep, session: SessionDep, citation_id: PathId) -> Response:
    service.delete_citation(session=session, actor=actor, citation_id=citation_id)
    session.commit()
    return NO_CONTENT


# ---------------------------------------------------------------- notes


@router.get(
    "/organizations/{organization_id}/notes", tags=["notes"], response_model=ListPublic[notes.NotePublic]
)
def read_notes(
    actor: ReaderDep, session: SessionDep, organization_id: PathId, paging: PageDep
) -> ListPublic[notes.NotePublic]:
    """Notes about an organization that you may see."""
    return notes.list_notes(
        session=session,
        actor=actor,
        organization_id=organization_id,
        offset=paging.offset,
        limit=paging.limit,
    )


@router.post(
    "/organizations/{organization_id}/notes", tags=["notes"], status_code=201, response_model=notes.NotePublic
)
def create_note(
    actor: NoteWriterDep, session: SessionDep, organization_id: PathId, data: notes.NoteCreate
) -> notes.NotePublic:
    """Write a note; private to your organization unless you choose another visibility."""
    note = notes.add_note(session=session, actor=actor, organization_id=organization_id, data=data)
    session.commit()
    return note


@router.get("/notes/{note_id}", tags=["notes"], response_model=notes.NotePublic)
def read_note(actor: ReaderDep, session: SessionDep, note_id: PathId) -> notes.NotePublic:
    return notes.get_note(session=session, actor=actor, note_id=note_id)


@router.patch("/notes/{note_id}", tags=["notes"], response_model=notes.NotePublic)
def update_note(
    actor: NoteWriterDep, session: SessionDep, note_id: PathId, data: notes.NoteUpdate
) -> notes.NotePublic:
    note = notes.update_note(session=session, actor=actor, note_id=note_id, data=data)
    session.commit()
    return note


@router.delete("/notes/{note_id}", tags=["notes"], status_code=204)
def delete_note(actor: NoteWriterDep, session: SessionDep, note_id: PathId) -> Response:
    notes.delete_note(session=session, actor=actor, note_id=note_id)
    session.commit()
    return NO_CONTENT


# ---------------------------------------------------------------- spreadsheets


@router.post("/import/{kind}", tags=["spreadsheets"], response_model=exchange.ImportReport)
def import_spreadsheet(
    actor: EditorDep,
    session: SessionDep,
    kind: exchange.RecordKind,
    file: Annotated[UploadFile, File()],
    request: Request,
) -> exchange.ImportReport:
    """Import organizations, people or places from XLSX or CSV: all rows or none."""
    limit = request.app.state.settings.max_upload_bytes
    content = read_upload(file.file, name=file.filename or "", limit=limit)
    report = exchange.import_file(
        session=session, actor=actor, kind=kind, name=file.filename or "", content=content, limit=limit
    )
    session.commit()
    return report


@router.get(
    "/export/{kind}",
    tags=["spreadsheets"],
    response_class=Response,
    responses={
        200: {
            "description": "the records as a spreadsheet",
            "content": {MEDIA_TYPES["xlsx"]: {}, "text/csv": {}},
        }
    },
)
def export_spreadsheet(
    actor: ReaderDep, session: SessionDep, kind: exchange.RecordKind, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    """The registry's organizations, people or places as XLSX or CSV (the import's columns)."""
    data = exchange.export_records(session=session, actor=actor, kind=kind, fmt=format)
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="cooplab-{kind}.{format}"'},
    )
