//! A small evaluator for the formulas value cells hold: `+ - * /`, unary minus
//! and plus, parentheses, numbers, same-sheet cell references (`B5`, `$B$5`) and
//! `SUM` of cells, ranges and expressions. Everything else is not computed (the
//! caller makes it an error naming the formula): a guess is never a figure.
//!
//! Excel's rules where they matter: an empty cell is 0, `SUM` skips text and
//! logical values in the cells it names, text in arithmetic is `#VALUE!` unless
//! it is a plain number, division by zero is `#DIV/0!`, an error spreads.

/// Longest formula text looked at, and deepest nesting of parentheses.
const MAX_LEN: usize = 8 * 1024;
const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Ref(u32, u32),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Sum(Vec<Arg>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// A `SUM` argument: a rectangle of cells (one cell is one too), or a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Range((u32, u32), (u32, u32)),
    Expr(Expr),
}

/// What a referenced cell holds, as the evaluator needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    /// Text; `SUM` skips it, arithmetic needs it to be a plain number.
    Text(String),
    Bool(bool),
    Empty,
    /// An Excel error (`#REF!`): it spreads to the result.
    Error(String),
}

/// Why a formula was not computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncomputable;

/// Parses a formula (without its `=`) to an expression, or `None` when it uses
/// anything beyond the arithmetic above.
pub fn parse(formula: &str) -> Option<Expr> {
    if formula.len() > MAX_LEN {
        return None;
    }
    let tokens = tokenize(formula)?;
    let mut p = Parser {
        tokens: &tokens,
        at: 0,
        depth: 0,
    };
    let expr = p.expr()?;
    (p.at == tokens.len()).then_some(expr)
}

/// The cells a formula reads; looking one up may evaluate its own formula (the
/// implementation bounds recursion and detects cycles).
pub trait Cells {
    fn cell(&mut self, row: u32, col: u32) -> Result<Value, Uncomputable>;
    /// The contents of the non-empty cells of a rectangle, in any order.
    fn range(&mut self, from: (u32, u32), to: (u32, u32)) -> Result<Vec<Value>, Uncomputable>;
}

/// Evaluates an expression; `Ok(Err(e))` is an Excel error such as `#DIV/0!`.
pub fn eval(expr: &Expr, cells: &mut dyn Cells) -> Result<Result<f64, String>, Uncomputable> {
    Ok(match expr {
        Expr::Number(n) => Ok(*n),
        Expr::Ref(r, c) => arithmetic(cells.cell(*r, *c)?),
        Expr::Neg(e) => eval(e, cells)?.map(|n| -n),
        Expr::Binary(op, a, b) => {
            let a = eval(a, cells)?;
            let b = eval(b, cells)?;
            match (a, b) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                (Ok(a), Ok(b)) => match op {
                    Op::Add => Ok(a + b),
                    Op::Sub => Ok(a - b),
                    Op::Mul => Ok(a * b),
                    Op::Div if b == 0.0 => Err("#DIV/0!".into()),
                    Op::Div => Ok(a / b),
                },
            }
        }
        Expr::Sum(args) => {
            let mut total = 0.0;
            for arg in args {
                let values = match arg {
                    Arg::Range(from, to) => cells.range(*from, *to)?,
                    Arg::Expr(e) => match eval(e, cells)? {
                        Ok(n) => vec![Value::Number(n)],
                        Err(e) => return Ok(Err(e)),
                    },
                };
                for v in values {
                    match v {
                        Value::Number(n) => total += n,
                        Value::Error(e) => return Ok(Err(e)),
                        Value::Text(_) | Value::Bool(_) | Value::Empty => {}
                    }
                }
            }
            Ok(total)
        }
    }
    .and_then(|n: f64| {
        if n.is_finite() {
            Ok(n)
        } else {
            Err("#NUM!".into())
        }
    }))
}

/// A cell's content used in arithmetic.
fn arithmetic(v: Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => Ok(n),
        Value::Empty => Ok(0.0),
        Value::Bool(b) => Ok(f64::from(u8::from(b))),
        Value::Text(t) => t
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| "#VALUE!".to_string()),
        Value::Error(e) => Err(e),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Ref(u32, u32),
    Sum,
    Op(char),
}

fn tokenize(s: &str) -> Option<Vec<Token>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'+' | b'-' | b'*' | b'/' | b'(' | b')' | b',' | b':' => {
                out.push(Token::Op(c as char));
                i += 1;
            }
            b'0'..=b'9' | b'.' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                    i += 1;
                    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                        i += 1;
                    }
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                out.push(Token::Number(s[start..i].parse().ok()?));
            }
            b'$' | b'A'..=b'Z' | b'a'..=b'z' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'$') {
                    i += 1;
                }
                let word = &s[start..i];
                if word.eq_ignore_ascii_case("SUM") && b.get(i) == Some(&b'(') {
                    out.push(Token::Sum);
                } else {
                    let (row, col) = cell_ref(word)?;
                    out.push(Token::Ref(row, col));
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `B5`, `$B$5`, `b5` to a zero-based (row, column) within Excel's grid.
fn cell_ref(word: &str) -> Option<(u32, u32)> {
    let s = word.as_bytes();
    let mut i = usize::from(s.first() == Some(&b'$'));
    let letters = i;
    while i < s.len() && s[i].is_ascii_alphabetic() {
        i += 1;
    }
    let col_letters = &s[letters..i];
    if col_letters.is_empty() || col_letters.len() > 3 {
        return None;
    }
    if s.get(i) == Some(&b'$') {
        i += 1;
    }
    let digits = &s[i..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) || digits.len() > 7 {
        return None;
    }
    let col = col_letters.iter().fold(0u32, |n, l| {
        n * 26 + u32::from(l.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    ((1..=16_384).contains(&col) && (1..=1_048_576).contains(&row)).then(|| (row - 1, col - 1))
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, op: char) -> bool {
        if self.peek() == Some(&Token::Op(op)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Option<Expr> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return None;
        }
        let mut left = self.term()?;
        loop {
            let op = if self.eat('+') {
                Op::Add
            } else if self.eat('-') {
                Op::Sub
            } else {
                break;
            };
            left = Expr::Binary(op, Box::new(left), Box::new(self.term()?));
        }
        self.depth -= 1;
        Some(left)
    }

    fn term(&mut self) -> Option<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat('*') {
                Op::Mul
            } else if self.eat('/') {
                Op::Div
            } else {
                break;
            };
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        // A run of signs is one level, however long: no recursion to exhaust.
        let mut negative = false;
        loop {
            if self.eat('-') {
                negative = !negative;
            } else if !self.eat('+') {
                break;
            }
        }
        let primary = self.primary()?;
        Some(if negative {
            Expr::Neg(Box::new(primary))
        } else {
            primary
        })
    }

    fn primary(&mut self) -> Option<Expr> {
        match self.peek()?.clone() {
            Token::Number(n) => {
                self.at += 1;
                Some(Expr::Number(n))
            }
            Token::Ref(r, c) => {
                self.at += 1;
                Some(Expr::Ref(r, c))
            }
            Token::Op('(') => {
                self.at += 1;
                let e = self.expr()?;
                self.eat(')').then_some(e)
            }
            Token::Sum => {
                self.at += 1;
                if !self.eat('(') {
                    return None;
                }
                let mut args = vec![self.arg()?];
                while self.eat(',') {
                    args.push(self.arg()?);
                }
                self.eat(')').then_some(Expr::Sum(args))
            }
            Token::Op(_) => None,
        }
    }

    fn arg(&mut self) -> Option<Arg> {
        if let (Some(Token::Ref(r0, c0)), Some(Token::Op(':')), Some(Token::Ref(r1, c1))) = (
            self.tokens.get(self.at),
            self.tokens.get(self.at + 1),
            self.tokens.get(self.at + 2),
        ) {
            let (from, to) = ((*r0.min(r1), *c0.min(c1)), (*r0.max(r1), *c0.max(c1)));
            self.at += 3;
            return Some(Arg::Range(from, to));
        }
        // A lone reference in SUM is a one-cell range: its text is skipped too.
        if let (Some(Token::Ref(r, c)), next) =
            (self.tokens.get(self.at), self.tokens.get(self.at + 1))
            && matches!(next, Some(Token::Op(',' | ')')))
        {
            self.at += 1;
            return Some(Arg::Range((*r, *c), (*r, *c)));
        }
        self.expr().map(Arg::Expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    struct Map<'a>(&'a HashMap<(u32, u32), Value>);

    impl Cells for Map<'_> {
        fn cell(&mut self, r: u32, c: u32) -> Result<Value, Uncomputable> {
            Ok(self.0.get(&(r, c)).cloned().unwrap_or(Value::Empty))
        }
        fn range(
            &mut self,
            (r0, c0): (u32, u32),
            (r1, c1): (u32, u32),
        ) -> Result<Vec<Value>, Uncomputable> {
            Ok(self
                .0
                .iter()
                .filter(|((r, c), _)| (r0..=r1).contains(r) && (c0..=c1).contains(c))
                .map(|(_, v)| v.clone())
                .collect())
        }
    }

    fn run(formula: &str, cells: &HashMap<(u32, u32), Value>) -> Option<Result<f64, String>> {
        eval(&parse(formula)?, &mut Map(cells)).ok()
    }

    fn sheet() -> HashMap<(u32, u32), Value> {
        HashMap::from([
            ((0, 0), Value::Number(2.0)),
            ((1, 0), Value::Number(3.0)),
            ((2, 0), Value::Text("ghi chú".into())),
            ((3, 0), Value::Text("5".into())),
            ((0, 1), Value::Error("#REF!".into())),
        ])
    }

    #[test]
    fn arithmetic_and_sum_as_excel_computes_them() {
        let s = sheet();
        let ok = |f: &str| run(f, &s).unwrap().unwrap();
        assert_eq!(ok("A1+A2*2"), 8.0);
        assert_eq!(ok("(A1+A2)*2"), 10.0);
        assert_eq!(ok("-A1--A2"), 1.0);
        assert_eq!(ok("$A$1/4"), 0.5);
        assert_eq!(ok("SUM(A1:A4)"), 5.0, "text in a range is skipped");
        assert_eq!(ok("sum(A1, A2, 10)"), 15.0);
        assert_eq!(ok("A4+1"), 6.0, "a plain number typed as text is a number");
        assert_eq!(ok("A9+1"), 1.0, "an empty cell is 0");
        assert_eq!(ok("1.5e2"), 150.0);
    }

    #[test]
    fn excel_errors_are_results() {
        let s = sheet();
        assert_eq!(run("A1/0", &s), Some(Err("#DIV/0!".into())));
        assert_eq!(run("A3+1", &s), Some(Err("#VALUE!".into())));
        assert_eq!(run("SUM(A1:B2)", &s), Some(Err("#REF!".into())));
    }

    #[test]
    fn anything_else_is_not_computed() {
        for f in [
            "IF(A1>0,1,0)",
            "Sheet2!A1",
            "A1&\"x\"",
            "SUM(A1:A2",
            "A1 A2",
            "",
            "XFE1",
            "A0",
            "SUM()",
            "50%",
            "'Kỳ trước'!E5",
            "AVERAGE(A1:A2)",
        ] {
            assert_eq!(parse(f), None, "{f}");
        }
    }

    /// An arithmetic expression with its value, built together.
    fn arb_expr() -> impl Strategy<Value = (String, f64)> {
        let leaf = (0u32..1000).prop_map(|n| (n.to_string(), f64::from(n)));
        leaf.prop_recursive(6, 64, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone())
                    .prop_map(|((a, x), (b, y))| (format!("{a}+{b}"), x + y)),
                (inner.clone(), inner.clone())
                    .prop_map(|((a, x), (b, y))| (format!("({a})-({b})"), x - y)),
                (inner.clone(), inner.clone())
                    .prop_map(|((a, x), (b, y))| (format!("({a})*({b})"), x * y)),
                inner.clone().prop_map(|(a, x)| (format!("-({a})"), -x)),
                prop::collection::vec(inner, 1..4).prop_map(|v| {
                    let text: Vec<String> = v.iter().map(|(t, _)| t.clone()).collect();
                    (
                        format!("SUM({})", text.join(",")),
                        v.iter().map(|(_, x)| x).sum(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn evaluates_what_it_was_built_from((text, value) in arb_expr()) {
            let got = run(&text, &HashMap::new()).expect("parses").expect("no error");
            prop_assert!((got - value).abs() <= 1e-9 * value.abs().max(1.0), "{} = {} not {}", text, value, got);
        }

        #[test]
        fn sum_of_a_range_is_the_sum_of_its_numbers(values in prop::collection::vec(0u32..10_000, 1..40)) {
            let cells: HashMap<(u32, u32), Value> = values.iter().enumerate()
                .map(|(i, v)| ((i as u32, 4), Value::Number(f64::from(*v)))).collect();
            let formula = format!("SUM(E1:E{})", values.len());
            let total: u32 = values.iter().sum();
            prop_assert_eq!(run(&formula, &cells), Some(Ok(f64::from(total))));
        }

        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,64}") {
            if parse(&text).is_some() {
                let _ = run(&text, &sheet());
            }
        }
    }
}
