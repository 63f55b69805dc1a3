"""REST routes of ingest: extract a text or file into a draft, read drafts, accept them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from cooplab.api.deps import ERROR_RESPONSES, EditorDep, PageDep, PathId, ReaderDep, SessionDep
from cooplab.ingest import service
from cooplab.ingest.readers import MAX_INPUT_BYTES, read_document
from cooplab.ingest.schemas import IngestResult
from cooplab.registry.schemas import ListPublic

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


class TextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_INPUT_BYTES)
    name: str = Field("text", min_length=1, max_length=300)
    published: date | None = None


class DocumentSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    language: str
    published: date | None
    status: str
    mission_id: int | None
    source_id: int | None


class DocumentPublic(DocumentSummary):
    text: str
    result: IngestResult
    new: bool = Field(False, description="False when this text had been ingested before.")


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=300)
    result: IngestResult | None = Field(None, description="The reviewed result; the stored one if absent.")


def _public(document: object, new: bool = False) -> DocumentPublic:
    return DocumentPublic.model_validate(document).model_copy(update={"new": new})


@router.post("/ingest", tags=["ingest"], status_code=201, response_model=DocumentPublic)
def ingest_text(actor: EditorDep, session: SessionDep, data: TextIn) -> DocumentPublic:
    """Extract organizations, people, places, dates, events and agreements from a text."""
    document, new = service.save_document(session=session, actor=actor, text=data.text, name=data.name,
                                          published=data.published)
    session.commit()
    return _public(document, new)


@router.post("/ingest/file", tags=["ingest"], status_code=201, response_model=DocumentPublic)
def ingest_file(actor: EditorDep, session: SessionDep, request: Request,
                file: Annotated[UploadFile, File()],
                published: Annotated[date | None, Form()] = None) -> DocumentPublic:
    """The same for an uploaded file: plain text (UTF-8 or Windows-1251), HTML or DOCX."""
    name = file.filename or "upload"
    text = read_document(file.file.read(MAX_INPUT_BYTES + 1), name=name)
    document, new = service.save_document(session=session, actor=actor, text=text, name=name, published=published)
    session.commit()
    return _public(document, new)


@router.get("/documents", tags=["ingest"], response_model=ListPublic[DocumentSummary])
def read_documents(actor: ReaderDep, session: SessionDep, paging: PageDep) -> ListPublic[DocumentSummary]:
    rows, count = service.list_documents(session=session, actor=actor, offset=paging.offset, limit=paging.limit)
    return ListPublic(data=[DocumentSummary.model_validate(d) for d in rows], count=count)


@router.get("/documents/{document_id}", tags=["ingest"], response_model=DocumentPublic)
def read_document_(actor: ReaderDep, session: SessionDep, document_id: PathId) -> DocumentPublic:
    return _public(service.get_document(session=session, actor=actor, document_id=document_id))


@router.post("/documents/{document_id}/accept", tags=["ingest"], response_model=service.Accepted)
def accept(actor: EditorDep, session: SessionDep, document_id: PathId, data: AcceptIn) -> service.Accepted:
    """Accept the reviewed records: create or link them, each citing the document."""
    accepted = service.accept_document(session=session, actor=actor, document_id=document_id,
                                       reviewed=data.result, title=data.title)
    session.commit()
    return accepted
