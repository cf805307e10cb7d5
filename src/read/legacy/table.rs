//! The code tables (`table.tsv`, data) as lookups in both directions.

use super::Encoding;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One letter's spellings, straight from the table.
struct Row {
    unicode: char,
    tcvn3: Option<char>,
    vni: String,
}

fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        include_str!("table.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|line| {
                let mut cols = line.split('\t');
                let mut col = || cols.next().expect("table.tsv has three columns");
                let one = |s: &str| s.chars().next().expect("table.tsv cell is not empty");
                let (unicode, tcvn3, vni) = (one(col()), col(), col().to_string());
                Row {
                    unicode,
                    tcvn3: (tcvn3 != "-").then(|| one(tcvn3)),
                    vni,
                }
            })
            .collect()
    })
}

/// Legacy character (or VNI pair) to Unicode letter, for one encoding.
pub struct Decoder {
    /// Single characters.
    one: HashMap<char, char>,
    /// VNI's base letter + mark pairs.
    two: HashMap<(char, char), char>,
}

impl Decoder {
    pub fn of(encoding: Encoding) -> &'static Decoder {
        static TCVN3: OnceLock<Decoder> = OnceLock::new();
        static VNI: OnceLock<Decoder> = OnceLock::new();
        let build = || {
            let mut d = Decoder {
                one: HashMap::new(),
                two: HashMap::new(),
            };
            for row in rows() {
                match encoding {
                    Encoding::Tcvn3 => {
                        if let Some(c) = row.tcvn3.filter(|c| !c.is_ascii()) {
                            d.one.insert(c, row.unicode);
                        }
                    }
                    Encoding::Vni => {
                        let mut cs = row.vni.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) if !c.is_ascii() => {
                                d.one.insert(c, row.unicode);
                            }
                            (Some(base), Some(mark)) => {
                                d.two.insert((base, mark), row.unicode);
                            }
                            _ => {}
                        }
                    }
                }
            }
            d
        };
        match encoding {
            Encoding::Tcvn3 => TCVN3.get_or_init(build),
            Encoding::Vni => VNI.get_or_init(build),
        }
    }

    /// Decodes text, character by character (TCVN3) or pair first (VNI). A VNI
    /// mark typed in the other case than its letter (`Aù`) is read as the letter's.
    pub fn decode(&self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 8);
        let mut i = 0;
        while i < chars.len() {
            let pair = chars.get(i + 1).and_then(|&mark| self.pair(chars[i], mark));
            if let Some(c) = pair {
                out.push(c);
                i += 2;
            } else {
                out.push(self.one.get(&chars[i]).copied().unwrap_or(chars[i]));
                i += 1;
            }
        }
        out
    }

    fn pair(&self, base: char, mark: char) -> Option<char> {
        let flipped = |c: char| {
            if c.is_uppercase() {
                c.to_lowercase().next()
            } else {
                c.to_uppercase().next()
            }
        };
        self.two.get(&(base, mark)).copied().or_else(|| {
            let decoded = self.two.get(&(base, flipped(mark)?))?;
            Some(if base.is_uppercase() {
                decoded.to_uppercase().next()?
            } else {
                decoded.to_lowercase().next()?
            })
        })
    }
}

/// Unicode text in a legacy encoding, as a legacy-font typist would have typed
/// it (for making test files and for the round-trip property). TCVN3 writes a
/// toned capital with its lower-case byte. Characters outside the table are
/// kept.
pub fn encode(text: &str, encoding: Encoding) -> String {
    static MAPS: OnceLock<[HashMap<char, String>; 2]> = OnceLock::new();
    let maps = MAPS.get_or_init(|| {
        let mut tcvn3 = HashMap::new();
        let mut vni = HashMap::new();
        for row in rows() {
            let lower = row.unicode.to_lowercase().next().unwrap_or(row.unicode);
            let t = row.tcvn3.or_else(|| {
                rows()
                    .iter()
                    .find(|r| r.unicode == lower)
                    .and_then(|r| r.tcvn3)
            });
            if let Some(t) = t {
                tcvn3.insert(row.unicode, t.to_string());
            }
            vni.insert(row.unicode, row.vni.clone());
        }
        [tcvn3, vni]
    });
    let map = &maps[encoding as usize];
    use unicode_normalization::UnicodeNormalization;
    text.nfc()
        .map(|c| map.get(&c).cloned().unwrap_or_else(|| c.to_string()))
        .collect()
}
