//! The package's relationships and `workbook.xml`: which sheets, in what order,
//! where, hidden or not, the date system and the calculation settings.

use super::{Fallback, Package, attr, decoded, next, push_entity, raw_attrs, xml};
use crate::read::Recalc;
use quick_xml::events::Event;
use std::collections::HashMap;

/// A sheet as the workbook lists it.
pub struct SheetEntry {
    pub name: String,
    /// Its part in the package.
    pub path: String,
    pub hidden: bool,
}

/// What `workbook.xml` and its relationships say.
pub struct Book {
    /// The folder of the workbook part (`xl/`), where calamine looks for the
    /// shared strings and styles.
    pub xl_path: String,
    pub sheets: Vec<SheetEntry>,
    pub is_1904: bool,
    pub recalc: Recalc,
}

pub fn read(package: &mut Package) -> Result<Book, Fallback> {
    let (xl_path, workbook_name) = office_document(package)?;
    let rels = relationships(package, &format!("{xl_path}_rels/{workbook_name}.rels"))?;
    let mut book = Book {
        xl_path,
        sheets: Vec::new(),
        is_1904: false,
        recalc: Recalc::default(),
    };
    // calamine reads a package without a workbook part as one without sheets.
    let Some(bytes) = package.part(&format!("{}{workbook_name}", book.xl_path))? else {
        return Ok(book);
    };
    let mut xml = xml(&bytes)?;
    loop {
        match next(&mut xml)? {
            Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let (mut name, mut rel_id, mut hidden) = (String::new(), "", false);
                for item in raw_attrs(&e) {
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
                    None => format!("{}{target}", book.xl_path),
                };
                book.sheets.push(SheetEntry { name, path, hidden });
            }
            Event::Start(e) if e.local_name().as_ref() == "workbookPr" => {
                if let Some(v) = attr(&e, "date1904")? {
                    book.is_1904 = v == "1" || v == "true";
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "calcPr" => {
                book.recalc.full_calc_on_load =
                    matches!(attr(&e, "fullCalcOnLoad")?, Some("1" | "true"));
                book.recalc.manual = attr(&e, "calcMode")? == Some("manual");
            }
            // calamine resolves every defined name's text: one it cannot is
            // its error to word.
            Event::GeneralRef(e) => push_entity(&e, &mut String::new())?,
            Event::End(e) if e.local_name().as_ref() == "workbook" => break,
            Event::Eof => return Err(Fallback("workbook end")),
            _ => {}
        }
    }
    Ok(book)
}

/// The workbook part's folder and name, from `_rels/.rels`.
fn office_document(package: &mut Package) -> Result<(String, String), Fallback> {
    let bytes = package
        .part("_rels/.rels")?
        .ok_or(Fallback("no _rels/.rels"))?;
    let mut xml = xml(&bytes)?;
    loop {
        match next(&mut xml)? {
            Event::Start(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return Err(Fallback("package relationships")),
            _ => {}
        }
    }
    let mut target = None;
    loop {
        match next(&mut xml)? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let [kind, t] = super::attrs(&e, ["Type", "Target"])?;
                if kind.is_some_and(|k| k.ends_with("/relationships/officeDocument"))
                    && let Some(t) = t
                {
                    target = Some(decoded(t)?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
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

/// A relationships part: id to (target, type), raw as calamine keeps them.
fn relationships(
    package: &mut Package,
    path: &str,
) -> Result<HashMap<String, (String, String)>, Fallback> {
    let bytes = package
        .part(path)?
        .ok_or(Fallback("no workbook relationships"))?;
    let mut xml = xml(&bytes)?;
    let mut rels = HashMap::new();
    loop {
        match next(&mut xml)? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let [id, kind, target] = super::attrs(&e, ["Id", "Type", "Target"])?;
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
            Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return Err(Fallback("workbook relationships")),
            _ => {}
        }
    }
    Ok(rels)
}
