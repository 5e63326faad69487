"""Research-database exports, split into their articles: LexisNexis and Nexis Uni (TXT, HTML, RTF,
DOCX), Factiva (HTML, XML) and Europresse (HTML).

Each article gives its headline, source, date, byline, section, length (``words``) and body;
field labels are read in English, French and German. LexisNexis's placeholder for a document it
could not export ("there is an error in this document") is reported, not indexed. Exports are
whole documents (a download holds at most a few hundred articles), read up to ``MAX_DOCUMENT``.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from selectolax.lexbor import LexborHTMLParser

from ..dates import parse_date
from ..errors import ReadError
from ..model import Article, build
from ..normalize import clean_line, split_names
from .encoding import decode
from .markup import element_text, html_text, local, xml_records
from .protocol import Item, RecordError, language_code

# LexisNexis labels (English, French, German) and the field each fills; the body ends at the
# first label of the trailer (LOAD-DATE and after).
_LABELS = {
    "BYLINE": "byline", "AUTEUR": "byline", "AUTOR": "byline",
    "SECTION": "section", "RUBRIQUE": "section", "RUBRIK": "section", "RESSORT": "section",
    "LENGTH": "length", "LONGUEUR": "length", "LÄNGE": "length", "LAENGE": "length",
    "LANGUAGE": "language", "LANGUE": "language", "SPRACHE": "language",
    "SUBJECT": "tags", "SUJET": "tags", "THEMA": "tags", "KEYWORDS": "tags",
    "GEOGRAPHIC": "places", "LOCALISATION-GEO": "places", "GEOGRAPHIE": "places",
    "DATELINE": "dateline", "HIGHLIGHT": "", "EDITION": "", "CORRECTION-DATE": "", "CORRECTION": "",
    "LOAD-DATE": "", "DATE-CHARGEMENT": "", "LADEDATUM": "", "PUBLICATION-TYPE": "", "TYPE-PUBLICATION": "",
    "JOURNAL-CODE": "", "GRAPHIC": "", "GRAPHIQUE": "", "DISTRIBUTION": "", "DOCUMENT-TYPE": "", "TYPE": "",
    "NOTES": "", "URL": "url", "ORGANIZATION": "", "PERSON": "", "INDUSTRY": "", "COMPANY": "", "TICKER": "",
    "CITY": "", "STATE": "", "COUNTRY": "", "CLASSIFICATION": "", "BODY": "",
}
_TRAILER = {"LOAD-DATE", "DATE-CHARGEMENT", "LADEDATUM", "LANGUAGE", "LANGUE", "SPRACHE", "PUBLICATION-TYPE",
            "TYPE-PUBLICATION", "SUBJECT", "SUJET", "GEOGRAPHIC", "LOCALISATION-GEO", "GRAPHIC", "GRAPHIQUE",
            "CORRECTION-DATE", "CORRECTION", "JOURNAL-CODE", "DISTRIBUTION", "CLASSIFICATION", "NOTES"}
_LABEL = re.compile(r"([A-ZÄÖÜÉ][A-Za-zÄÖÜÉäöüé-]{1,24}):(?:\s+(.*)|$)", re.S)
_ACADEMIC_SEPARATOR = re.compile(r"\d+ (?:of|de|von) \d+ (?:DOCUMENTS|DOKUMENTE)", re.I)
_UNI_END = re.compile(r"End of Document|Fin du document|Ende des Dokuments", re.I)
_BODY_MARK = re.compile(r"Body|Corps|Text", re.I)
_PLACEHOLDER = re.compile(r"there is an error in this document", re.I)
_COPYRIGHT = re.compile(r"(?:copyright\b|copy\s+\d{4}|©|\(c\)\s*\d{4})", re.I)
_WORDS = re.compile(r"([\d.,  ]+)\s*(?:words|mots|wörter|palabras|parole|woorden)\b", re.I)
_EDITION = re.compile(r"\b(?:edition|édition|ausgabe)\b", re.I)
_PAGE = re.compile(r"(?:Pg\.|Page|S\.|p\.)\s*\w+$", re.I)
_RTF_BRACE = re.compile(r"\\[\\{}]|[{}]")  # an escaped brace or backslash, else a brace
_PERCENT = re.compile(r"\s*\(\d+%\)\s*")
_LANGUAGE_NAMES = {
    "english": "en", "anglais": "en", "englisch": "en", "french": "fr", "français": "fr", "francais": "fr",
    "französisch": "fr", "german": "de", "deutsch": "de", "allemand": "de", "spanish": "es", "español": "es",
    "espagnol": "es", "spanisch": "es", "italian": "it", "italiano": "it", "italien": "it", "italienisch": "it",
    "dutch": "nl", "nederlands": "nl", "néerlandais": "nl", "niederländisch": "nl", "portuguese": "pt",
    "português": "pt", "portugais": "pt", "russian": "ru", "russe": "ru", "russisch": "ru", "arabic": "ar",
    "arabe": "ar", "chinese": "zh", "chinois": "zh", "japanese": "ja", "japonais": "ja", "polish": "pl",
    "polski": "pl", "swedish": "sv", "svenska": "sv", "danish": "da", "dansk": "da", "norwegian": "no", "norsk": "no",
    "turkish": "tr", "türkçe": "tr", "greek": "el", "czech": "cs", "hungarian": "hu", "finnish": "fi", "suomi": "fi",
}
_WEEKDAYS = re.compile(r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|"
                       r"vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b", re.I)


def language(value: str | None) -> str | None:
    """A language given by name ("ENGLISH", "Français", "Deutsch") or code, as an ISO 639-1 code."""
    if not value:
        return None
    name = clean_line(value).lower()
    return _LANGUAGE_NAMES.get(name) or language_code(name)


def words(value: str | None) -> int | None:
    """The word count of "2,968 words", "295 mots", "664 Wörter"."""
    found = _WORDS.search(value or "")
    digits = re.sub(r"\D", "", found.group(1)) if found else ""
    return int(digits) if digits else None


def _short_date(text: str) -> str | None:
    return parse_date(text) if len(text) <= 100 else None


# --- LexisNexis and Nexis Uni ----------------------------------------------------------------


def read_nexis(data: bytes, path: str) -> Iterator[Item]:
    """Yield the articles of a LexisNexis (Academic) or Nexis Uni export: TXT, HTML, RTF or DOCX."""
    if data.startswith(b"PK\x03\x04"):
        blocks = _docx_paragraphs(data)
    elif data.lstrip(b"\xef\xbb\xbf \r\n").startswith(b"{\\rtf"):
        blocks = _rtf_paragraphs(data)
    elif re.search(rb"<(?:html|body|p|div)\b", data[:65536], re.I):
        blocks = html_text(decode(data)).split("\n\n")
    else:
        blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", decode(data).replace("\r", ""))]
    blocks = [clean_line(block) for block in blocks]
    documents = list(_nexis_documents([block for block in blocks if block]))
    if not documents:
        raise ReadError("no LexisNexis documents found (no 'N of M DOCUMENTS' or 'End of Document' lines)")
    for number, (layout, document) in enumerate(documents, start=1):
        if any(_PLACEHOLDER.search(block) for block in document) and len(document) <= 2:
            yield RecordError(f"document {number}: LexisNexis exported it as 'there is an error in this document'")
            continue
        try:
            yield _nexis_article(layout, document, f"{path}#{number}", number - 1)
        except ValueError as error:
            yield RecordError(f"document {number}: {error}")


def _nexis_documents(blocks: list[str]) -> Iterator[tuple[str, list[str]]]:
    """("academic" | "uni", the document's paragraphs) for each document of an export; a
    placeholder paragraph stands as a document of its own (LexisNexis omits its separator)."""
    if any(_ACADEMIC_SEPARATOR.fullmatch(block) for block in blocks):
        current: list[str] | None = None
        for block in blocks:
            if _ACADEMIC_SEPARATOR.fullmatch(block):
                if current:
                    yield "academic", current
                current = []
            elif current is not None:
                if _PLACEHOLDER.search(block):
                    if current:
                        yield "academic", current
                    yield "academic", [block]
                    current = []
                else:
                    current.append(block)
        if current:
            yield "academic", current
        return
    current = []
    for block in blocks:
        if _UNI_END.fullmatch(block):
            if current:
                yield "uni", current
            current = []
        else:
            current.append(block)


def _nexis_article(layout: str, blocks: list[str], path: str, position: int) -> Article:
    labelled = [i for i, block in enumerate(blocks) if _label(block)]
    first_label = labelled[0] if labelled else len(blocks)
    header = blocks[:first_label]
    title = source = published = None
    if layout == "academic":  # source, date (edition), title
        source = header[0] if header else None
        dated = next((i for i, block in enumerate(header) if _short_date(block)), None)
        published = _short_date(header[dated]) if dated is not None else None
        after = [block for block in header[(dated if dated is not None else 0) + 1:] if not _EDITION.search(block)]
        title = after[-1] if after else ""
    else:  # Nexis Uni: title, source, date, copyright (the cover page comes before the first)
        header = [block for block in header if not _COPYRIGHT.match(block)]
        dated = max((i for i, block in enumerate(header) if _short_date(block)), default=None)
        if dated is not None and dated >= 2:
            title, source, published = header[dated - 2], header[dated - 1], _short_date(header[dated])
        else:
            title = header[-1] if header else ""
    fields: dict[str, str] = {}
    body: list[str] = []
    in_trailer = False
    started = layout == "academic"
    for block in blocks[first_label:]:
        found = _label(block)
        if found:
            name, value = found
            in_trailer = in_trailer or name in _TRAILER
            if _LABELS.get(name):
                fields.setdefault(_LABELS[name], value)
            continue
        if layout == "uni" and not started:
            started = bool(_BODY_MARK.fullmatch(block))
            continue
        if not in_trailer and not _COPYRIGHT.match(block):
            body.append(block)
    if not started:  # a Nexis Uni document without its "Body" line: everything after the labels
        body = [block for block in blocks[first_label:] if not _label(block) and not _COPYRIGHT.match(block)]
    extra: dict = {}
    if words(fields.get("length")):
        extra["words"] = words(fields.get("length"))
    if fields.get("places"):
        extra["places"] = _weighted_list(fields["places"])
    return build(
        path,
        position=position,
        title=title or "",
        body="\n\n".join(body),
        published=published,
        authors=split_names(fields["byline"]) if fields.get("byline") else [],
        section=_section(fields.get("section", "")),
        source=source,
        language=language(fields.get("language")),
        tags=_weighted_list(fields.get("tags", "")),
        url=fields.get("url") if (fields.get("url") or "").startswith("http") else None,
        extra=extra,
    )


def _section(value: str) -> str | None:
    """ "FEATURES; Pg. 6" -> "FEATURES"; "POLITICS; Version:28" -> "POLITICS"; "Pg. B22" -> None."""
    section = re.split(r";\s*(?:Pg\.|Page|Version|S\.)", value)[0].strip()
    return None if not section or _PAGE.fullmatch(section) else section


def _label(block: str) -> tuple[str, str] | None:
    found = _LABEL.fullmatch(block)
    if not found:
        return None
    name = found.group(1).upper()
    return (name, (found.group(2) or "").strip()) if name in _LABELS else None


def _weighted_list(value: str) -> list[str]:
    """ "ÉNERGIE (90%); EURO (88%)" -> ["ÉNERGIE", "EURO"]."""
    return [item for item in (_PERCENT.sub(" ", part).strip() for part in value.split(";")) if item]


def _docx_paragraphs(data: bytes) -> list[str]:
    """The paragraphs of a DOCX's main document (zip + XML: python-docx would cost 90 ms to import)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as document:
            found = []
            for element in xml_records(document, {"p"}):
                if isinstance(element, RecordError):
                    raise ReadError(f"broken DOCX ({element})")
                found.append(_docx_text(element))
            return found
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise ReadError(f"broken DOCX file ({error})") from None


def _docx_text(paragraph: Element) -> str:
    parts = []
    for node in paragraph.iter():
        name = local(node.tag) if isinstance(node.tag, str) else ""
        if name == "t":
            parts.append(node.text or "")
        elif name in ("tab", "br", "cr"):
            parts.append(" ")
    return "".join(parts)


def _rtf_paragraphs(data: bytes) -> list[str]:
    from striprtf.striprtf import rtf_to_text

    try:
        text = rtf_to_text(_balanced(data.decode("latin-1")), errors="replace")
    except (ValueError, IndexError, KeyError, RecursionError) as error:
        raise ReadError(f"broken RTF ({type(error).__name__})") from None
    return text.split("\n")


def _balanced(rtf: str) -> str:
    """RTF whose groups close where they should: a ``}`` that would end the document before its
    end (striprtf stops there, losing the rest) is dropped; groups left open are closed."""
    depth, kept, start, end = 0, [], 0, len(rtf.rstrip())
    for brace in _RTF_BRACE.finditer(rtf):
        if brace.group() == "{":
            depth += 1
        elif brace.group() == "}":
            if depth <= 1 and brace.end() < end:
                kept.append(rtf[start:brace.start()])
                start = brace.end()
                continue
            depth -= 1
    kept.append(rtf[start:])
    return "".join(kept) + "}" * max(depth, 0)


# --- Factiva --------------------------------------------------------------------------------

_FACTIVA_CODES = {"HD": "title", "BY": "byline", "SE": "section", "WC": "length", "PD": "date", "ET": "time",
                  "SN": "source", "LA": "language", "LP": "lead", "TD": "text", "NS": "tags", "RE": "places",
                  "AN": "document"}


def read_factiva(data: bytes, path: str) -> Iterator[Item]:
    """Yield the articles of a Factiva export: its XML, or an HTML page saved in either layout."""
    if data.lstrip(b"\xef\xbb\xbf \r\n").startswith(b"<?xml") or b"<PPSResponse" in data[:4096]:
        yield from _factiva_xml(data, path)
        return
    tree = LexborHTMLParser(decode(data))
    for node in tree.css("script, style"):
        node.decompose()
    articles = tree.css("div[id^=article-]") or tree.css("div.article")
    if not articles:
        raise ReadError("no Factiva articles found in this page")
    for number, node in enumerate(articles, start=1):
        try:
            fields = _factiva_table(node) if node.css_first("td.index") else _factiva_blocks(node)
            yield _factiva_article(fields, f"{path}#{number}", number - 1)
        except ValueError as error:
            yield RecordError(f"article {number}: {error}")


def _factiva_table(node) -> dict[str, str]:
    """The 2011 layout: one table row per field, labelled with Factiva's codes (HD, PD, LP, TD ...)."""
    fields = {}
    for row in node.css("tr"):
        cells = row.css("td")
        code = clean_line(cells[0].text()) if len(cells) == 2 else ""
        if code in _FACTIVA_CODES:
            html = cells[1].html or ""
            fields[_FACTIVA_CODES[code]] = html_text(html) if code in ("LP", "TD") else clean_line(cells[1].text(separator=" "))
    return fields


def _factiva_blocks(node) -> dict[str, str]:
    """The 2021 layout: unlabelled lines in order (byline, word count, date, time, source,
    source code, page, language, copyright), told apart by what they hold."""
    headline = node.css_first(".deHeadline, [class$=Headline], #hd")
    fields = {"title": clean_line(headline.text()) if headline else ""}
    lines = [clean_line(div.text()) for div in node.css("div") if len(div.css("div")) == 1 and div.attributes.get("id") != "hd"]
    seen_count = False
    for line in filter(None, lines):
        if words(line):
            fields["length"], seen_count = line, True
        elif not seen_count:
            fields.setdefault("byline", line)
        elif "date" not in fields and _short_date(line):
            fields["date"] = line
        elif language(line):
            fields.setdefault("language", line)
        elif _COPYRIGHT.match(line):
            fields.setdefault("copyright", line)
        elif "date" in fields and "source" not in fields and not re.fullmatch(r"[\d:. ]+(?:GMT|Uhr)?|[A-Z0-9]{2,8}", line):
            fields["source"] = line
    fields["text"] = "\n\n".join(clean_line(p.text()) for p in node.css("p.articleParagraph"))
    document = next((clean_line(p.text()) for p in node.css("p") if re.match(r"\s*(Dokument|Document)\s", p.text())), "")
    fields["document"] = document
    return fields


def _factiva_article(fields: dict[str, str], path: str, position: int) -> Article:
    tags = [part.split(" : ", 1)[-1].strip() for part in fields.get("tags", "").split("|") if part.strip()]
    places = [part.split(" : ", 1)[-1].strip() for part in fields.get("places", "").split("|") if part.strip()]
    extra: dict = {}
    if words(fields.get("length")):
        extra["words"] = words(fields.get("length"))
    if places:
        extra["places"] = places
    document = re.sub(r"^(?:Dokument|Document)\s+", "", fields.get("document", ""))
    if document:
        extra["document_id"] = document
    date = fields.get("date")
    return build(
        path,
        position=position,
        title=fields.get("title", ""),
        body="\n\n".join(part for part in (fields.get("lead"), fields.get("text")) if part),
        published=f"{date} {fields['time']}" if date and fields.get("time") else date,
        authors=split_names(fields["byline"]) if fields.get("byline") else [],
        section=fields.get("section") or None,
        source=fields.get("source") or None,
        language=language(fields.get("language")),
        tags=tags,
        extra=extra,
    )


def _factiva_xml(data: bytes, path: str) -> Iterator[Item]:
    number = 0
    for element in xml_records(io.BytesIO(data), {"article"}):
        if isinstance(element, RecordError):
            yield element
            continue
        number += 1

        def text(name: str) -> str:
            found = next((node for node in element.iter() if isinstance(node.tag, str) and local(node.tag) == name), None)
            return _factiva_paragraphs(found)

        places = [element_text(name) for region in element.iter() if isinstance(region.tag, str) and local(region.tag) == "region"
                  for name in region if isinstance(name.tag, str) and local(name.tag) == "name"]
        try:
            yield build(
                f"{path}#{number}",
                position=number - 1,
                title=text("headline"),
                body="\n\n".join(part for part in (text("leadParagraph"), text("tailParagraphs")) if part),
                published=text("date") or text("dateTime") or None,
                authors=split_names(text("byline")) if text("byline") else [],
                section=text("sectionName") or None,
                source=text("sourceName") or None,
                language=language(text("baseLanguage")),
                extra={"document_id": text("accessionNo"), **({"places": places} if places else {})},
            )
        except ValueError as error:
            yield RecordError(f"article {number}: {error}")
    if not number:
        raise ReadError("no Factiva articles found in this XML")


def _factiva_paragraphs(element: Element | None) -> str:
    """An element's paragraphs: its ``paragraph`` children, else its text split where a line is indented."""
    if element is None:
        return ""
    children = [element_text(node) for node in element if isinstance(node.tag, str) and local(node.tag) == "paragraph"]
    if children:
        return "\n\n".join(child for child in children if child)
    text = "".join(element.itertext()).strip()
    return "\n\n".join(" ".join(part.split()) for part in re.split(r"\n(?=[ \t]+\S)", text) if part.strip())


# --- Europresse -----------------------------------------------------------------------------

_EUROPRESSE_START = re.compile(r"<span[^>]+class=[\"']?DocPublicationName", re.I)
_EUROPRESSE_END = re.compile(r"©|\(c\)\s*\d{4}|Numéro de document|Document number|Ce certificat|Le présent document|"
                             r"Date d'émission|Illustration\(s\)|Note\(s\)", re.I)
_DOCUMENT_ID = re.compile(r"(?:Numéro de document|Document number)\s*:\s*(\S+)", re.I)


def read_europresse(data: bytes, path: str) -> Iterator[Item]:
    """Yield the articles of a Europresse HTML export (each begins with its publication's name;
    in the newer layout, with the ``<article>`` element holding it)."""
    page = decode(data)  # exports declare ISO-8859-1 and hold UTF-8: the bytes decide
    starts = [found.start() for found in _EUROPRESSE_START.finditer(page)]
    if not starts:
        raise ReadError("no Europresse articles found in this page")
    begins = []
    for index, start in enumerate(starts):
        opening = page.rfind("<article", starts[index - 1] if index else 0, start)
        begins.append(opening if opening >= 0 else start)
    for number, (begin, end) in enumerate(zip(begins, begins[1:] + [len(page)]), start=1):
        try:
            yield _europresse_article(page[begin:end], f"{path}#{number}", number - 1)
        except ValueError as error:
            yield RecordError(f"article {number}: {error}")


def _europresse_article(fragment: str, path: str, position: int) -> Article:
    tree = LexborHTMLParser(fragment)
    source = _first_text(tree, ".DocPublicationName")
    header = " ".join(clean_line(node.text()) for node in tree.css(".DocHeader"))
    title = _first_text(tree, ".titreArticleVisu, .TitreArticleVisu")
    first = header.split(",")[0].strip()
    section = first if first and "," in header and not _short_date(first) and not _WEEKDAYS.match(first) else None
    author, after_title = "", False
    for div in tree.css("header > div"):  # the newer layout: the byline follows the title's block
        if after_title:
            author = clean_line(div.text())
            break
        after_title = "titreArticle" in (div.attributes.get("class") or "")
    document = _DOCUMENT_ID.search(tree.body.text() if tree.body else "")
    for node in tree.css("header, aside, footer, script, style, form, img, #tbHeaderImages, .DocPublicationName, "
                         ".DocHeader, .titreArticleVisu, .TitreArticleVisu, .titreArticle"):
        node.decompose()
    body = []
    for paragraph in html_text(tree.body.html or "" if tree.body else "").split("\n\n"):
        if _EUROPRESSE_END.match(paragraph):
            break
        if paragraph:
            body.append(paragraph)
    return build(
        path,
        position=position,
        title=title,
        body="\n\n".join(body),
        published=_short_date(header),
        authors=split_names(author) if author else [],
        section=section,
        source=source or None,
        extra={"document_id": document.group(1)} if document else {},
    )


def _first_text(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return clean_line(node.text(separator=" ")) if node else ""
