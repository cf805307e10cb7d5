//! The package's relationships and `workbook.xml`: which sheets, in what order,
//! where, hidden or not, the date system and the calculation settings.

use super::xml::{Event, Name, Tag, Xml, attr, attrs, decoded, push_entity, raw_attrs};
use super::{Fallback, Package};
use crate::read::Recalc;
use std::collections::HashMap;

/// A sheet as the workbook lists it.
#[derive(Debug)]
pub struct SheetEntry {
    pub name: String,
    /// Its part in the package.
    pub path: String,
    pub hidden: bool,
}

/// What `workbook.xml` and its relationships say.
#[derive(Debug, Default)]
pub struct Book {
    /// The folder of the workbook part (`xl/`), where calamine looks for the
    /// shared strings and styles.
    pub xl_path: String,
    pub sheets: Vec<SheetEntry>,
    pub is_1904: bool,
    pub recalc: Recalc,
}

/// The package's relationships and `workbook.xml`, read.
pub fn read(package: &mut Package) -> Result<Book, Fallback> {
    let bytes = package
        .shared_part("_rels/.rels")?
        .ok_or(Fallback("no _rels/.rels"))?;
    let (xl_path, workbook_name) = tiered!(&bytes, |x| office_document(x))?;
    let bytes = package
        .shared_part(&format!("{xl_path}_rels/{workbook_name}.rels"))?
        .ok_or(Fallback("no workbook relationships"))?;
    let rels = tiered!(&bytes, |x| relationships(x))?;
    // calamine reads a package without a workbook part as one without sheets.
    let Some(bytes) = package.shared_part(&format!("{xl_path}{workbook_name}"))? else {
        return Ok(Book {
            xl_path,
            ..Book::default()
        });
    };
    let book = tiered!(&bytes, |x| workbook(x, &rels, &xl_path))?;
    Ok(Book { xl_path, ..book })
}

/// What `workbook.xml` says, its sheets' parts found through `rels` in the
/// folder `xl_path`.
pub fn workbook<'a>(
    xml: &mut impl Xml<'a>,
    rels: &Relationships,
    xl_path: &str,
) -> Result<Book, Fallback> {
    let mut book = Book::default();
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "sheet" => {
                let (mut name, mut rel_id, mut hidden) = (String::new(), "", false);
                for item in raw_attrs(e.attrs_raw()) {
                    let (key, value) = item?;
                    match key {
                        "name" => name = decoded(value)?,
                        "state" => {
                            hidden = match value {
                                "visible" => false,
                                "hidden" | "veryHidden" => true,
                                _ => return Err(Fallback("sheet state")),
                            }
                        }
                        key if key == "id"
                            || key.strip_suffix("id").is_some_and(|p| p.ends_with(':')) =>
                        {
                            rel_id = value
                        }
                        _ => {}
                    }
                }
                let (target, kind) = rels.get(rel_id).ok_or(Fallback("sheet relationship"))?;
                // A chart or dialog sheet has no cells: calamine notes it.
                if kind.rsplit('/').next() != Some("worksheet") {
                    return Err(Fallback("not a worksheet"));
                }
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("{xl_path}{target}"),
                };
                book.sheets.push(SheetEntry { name, path, hidden });
            }
            Event::Start(e) if e.local() == "workbookPr" => {
                if let Some(v) = attr(e.attrs_raw(), "date1904")? {
                    book.is_1904 = v == "1" || v == "true";
                }
            }
            Event::Start(e) if e.local() == "calcPr" => {
                let raw = e.attrs_raw();
                book.recalc.full_calc_on_load =
                    matches!(attr(raw, "fullCalcOnLoad")?, Some("1" | "true"));
                book.recalc.manual = attr(raw, "calcMode")? == Some("manual");
            }
            // calamine resolves every defined name's text: one it cannot is
            // its error to word.
            Event::Ref(e) => push_entity(&e, &mut String::new())?,
            Event::End(e) if e.local() == "workbook" => break,
            Event::Eof => return Err(Fallback("workbook end")),
            _ => {}
        }
    }
    Ok(book)
}

/// The workbook part's folder and name, from `_rels/.rels`.
pub fn office_document<'a>(xml: &mut impl Xml<'a>) -> Result<(String, String), Fallback> {
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "Relationships" => break,
            Event::Eof => return Err(Fallback("package relationships")),
            _ => {}
        }
    }
    let mut target = None;
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "Relationship" => {
                let [kind, t] = attrs(e.attrs_raw(), ["Type", "Target"])?;
                if kind.is_some_and(|k| k.ends_with("/relationships/officeDocument"))
                    && let Some(t) = t
                {
                    target = Some(decoded(t)?);
                }
            }
            Event::End(e) if e.local() == "Relationships" => break,
            Event::Eof => return Err(Fallback("package relationships")),
            _ => {}
        }
    }
    let target = target.ok_or(Fallback("no office document"))?;
    let (dir, name) = match target.rfind('/') {
        Some(i) => target.split_at(i + 1),
        None => ("", target.as_str()),
    };
    let name = if name.is_empty() {
        "workbook.xml"
    } else {
        name
    };
    Ok((
        dir.strip_prefix('/').unwrap_or(dir).to_string(),
        name.to_string(),
    ))
}

/// A relationships part's entries: id to (target, type), raw as calamine keeps
/// them.
pub type Relationships = HashMap<String, (String, String)>;

/// The relationships of a `.rels` part.
pub fn relationships<'a>(xml: &mut impl Xml<'a>) -> Result<Relationships, Fallback> {
    let mut rels = HashMap::new();
    loop {
        match xml.next()? {
            Event::Start(e) if e.local() == "Relationship" => {
                let [id, kind, target] = attrs(e.attrs_raw(), ["Id", "Type", "Target"])?;
                if let Some(id) = id {
                    rels.insert(
                        id.to_string(),
                        (
                            target.unwrap_or_default().to_string(),
                            kind.unwrap_or_default().to_string(),
                        ),
                    );
                }
            }
            Event::End(e) if e.local() == "Relationships" => break,
            Event::Eof => return Err(Fallback("workbook relationships")),
            _ => {}
        }
    }
    Ok(rels)
}
