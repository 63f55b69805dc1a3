"""REST routes of ingest: extract a text or file into a draft, read drafts, parse them again with
a publication date, delete them, accept them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from cooplab.core.http import ERROR_RESPONSES, EditorDep, PageDep, PathId, ReaderDep, SessionDep
from cooplab.core.routes import ApiRoute
from cooplab.core.schemas import IsoDate, ListPublic
from cooplab.core.spreadsheets import stored_file_name
from cooplab.ingest import service
from cooplab.ingest.filters import DocumentFilter, DocumentStatus
from cooplab.ingest.readers import MAX_INPUT_BYTES, read_document
from cooplab.ingest.schemas import Accepted, AcceptIn, DocumentPublic, DocumentSummary, ReparseIn, TextIn

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)


@router.post("/ingest", tags=["ingest"], status_code=201, response_model=DocumentPublic)
def ingest_text(actor: EditorDep, session: SessionDep, data: TextIn) -> DocumentPublic:
    """Extract organizations, people, places, dates, events and agreements from a text."""
    document, _ = service.save_document(
        session=session, actor=actor, text=data.text, name=data.name, published=data.published
    )
    session.commit()
    return document


@router.post("/ingest/file", tags=["ingest"], status_code=201, response_model=DocumentPublic)
def ingest_file(
    actor: EditorDep,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    published: Annotated[IsoDate | None, Form()] = None,
) -> DocumentPublic:
    """The same for an uploaded file: plain text (UTF-8 or Windows-1251), HTML or DOCX."""
    name = stored_file_name(file.filename or "") or "upload"
    text = read_document(file.file.read(MAX_INPUT_BYTES + 1), name=name)
    document, _ = service.save_document(
        session=session, actor=actor, text=text, name=name, published=published
    )
    session.commit()
    return document


@router.get("/documents", tags=["ingest"], response_model=ListPublic[DocumentSummary])
def read_documents(
    actor: ReaderDep, session: SessionDep, paging: PageDep, status: DocumentStatus | None = None
) -> ListPublic[DocumentSummary]:
    """Documents you may see, newest first; `status` keeps drafts or accepted ones."""
    return service.list_documents(
        session=session,
        actor=actor,
        filters=DocumentFilter(status=status),
        offset=paging.offset,
        limit=paging.limit,
    )


@router.get("/documents/{document_id}", tags=["ingest"], response_model=DocumentPublic)
def read_document_(actor: ReaderDep, session: SessionDep, document_id: PathId) -> DocumentPublic:
    return service.get_document(session=session, actor=actor, document_id=document_id)


@router.post("/documents/{document_id}/parse", tags=["ingest"], response_model=DocumentPublic)
def reparse(actor: EditorDep, session: SessionDep, document_id: PathId, data: ReparseIn) -> DocumentPublic:
    """Extract a draft again with a publication date: the year of its dates written without one
    (`needs_year` says a draft lacks it). The draft's result is replaced."""
    document = service.reparse_document(
        session=session, actor=actor, document_id=document_id, published=data.published
    )
    session.commit()
    return document


@router.delete("/documents/{document_id}", tags=["ingest"], status_code=204)
def delete(actor: EditorDep, session: SessionDep, document_id: PathId) -> Response:
    """Delete a draft; an accepted document stays (the source of its records)."""
    service.delete_document(session=session, actor=actor, document_id=document_id)
    session.commit()
    return Response(status_code=204)


@router.post("/documents/{document_id}/accept", tags=["ingest"], response_model=Accepted)
def accept(actor: EditorDep, session: SessionDep, document_id: PathId, data: AcceptIn) -> Accepted:
    """Accept the reviewed records: create or link them, each citing the document. Send the
    review page's choices as `review`, or an edited `result`, or neither."""
    accepted = service.accept_document(
        session=session,
        actor=actor,
        document_id=document_id,
        review=data.review,
        result=data.result,
        title=data.title,
        visibility=data.visibility,
    )
    session.commit()
    return accepted
