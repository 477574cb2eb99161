//! The path template: `/sessions/<session_id>/tokens/<template_name>`.
//!
//! Parsed once, at compile time, into literal parts and placeholders; the generated code only
//! appends them.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text that goes into the URL as it is.
    Literal(String),
    /// `<name>`: the value of the field `name`, percent-encoded as one segment.
    Param(String),
    /// `<name..>`: the value of the field `name` as the rest of a path, its `/` kept between
    /// segments that are each percent-encoded.
    Rest(String),
}

impl Part {
    /// The field a placeholder names.
    pub fn field(&self) -> Option<&str> {
        match self {
            Part::Param(name) | Part::Rest(name) => Some(name),
            Part::Literal(_) => None,
        }
    }
}

/// Splits a template into parts, listing every problem with it; the parts that did parse are
/// returned either way, so that the fields can still be checked against them.
pub fn parse(template: &str) -> (Vec<Part>, Vec<String>) {
    let mut errors = Vec::new();
    let mut parts = Vec::new();
    let mut literal = String::new();

    if !template.starts_with('/') {
        errors.push(format!(
            "the path template must start with `/`, as in \"/{}\"",
            template.trim_start_matches('/')
        ));
    }

    let mut chars = template.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => {
                let rest = &template[i + 1..];
                let end = rest.find(['>', '<', '/']);
                match end.map(|e| (e, rest.as_bytes()[e])) {
                    Some((e, b'>')) => {
                        let written = &rest[..e];
                        let (name, is_rest) = match written.strip_suffix("..") {
                            Some(name) => (name, true),
                            None => (written, false),
                        };
                        if name.is_empty() && is_rest {
                            errors.push(
                                "empty placeholder `<..>` in the path template; write the field name, as in `<path..>`"
                                    .to_owned(),
                            );
                        } else if name.is_empty() {
                            errors.push(
                                "empty placeholder `<>` in the path template; write the field name, as in `<id>`"
                                    .to_owned(),
                            );
                        } else if !is_identifier(name) {
                            errors.push(format!(
                                "`<{written}>` is not a field name; a placeholder holds one field name, as in `<user_id>` (or `<path..>` for the rest of a path)"
                            ));
                        } else {
                            if !literal.is_empty() {
                                parts.push(Part::Literal(std::mem::take(&mut literal)));
                            }
                            parts.push(if is_rest {
                                Part::Rest(name.to_owned())
                            } else {
                                Part::Param(name.to_owned())
                            });
                        }
                        // skip the name and the `>`
                        for _ in 0..written.chars().count() + 1 {
                            chars.next();
                        }
                    }
                    _ => {
                        let shown: String = rest
                            .chars()
                            .take_while(|c| !matches!(c, '<' | '/'))
                            .collect();
                        errors.push(format!(
                            "unclosed `<{shown}` in the path template; close the placeholder with `>`, as in `<{}>`",
                            if shown.is_empty() { "id" } else { &shown }
                        ));
                    }
                }
            }
            '>' => errors.push(
                "unmatched `>` in the path template; placeholders are written `<field>`".to_owned(),
            ),
            '{' => {
                let rest = &template[i + 1..];
                match rest.find('}') {
                    Some(e) if is_identifier(&rest[..e]) => {
                        let name = &rest[..e];
                        errors.push(format!(
                            "`{{{name}}}` placeholders are not supported; write `<{name}>`"
                        ));
                        for _ in 0..name.chars().count() + 1 {
                            chars.next();
                        }
                    }
                    _ => errors.push(
                        "`{` is not allowed in a URL path; placeholders are written `<field>`"
                            .to_owned(),
                    ),
                }
            }
            '?' => {
                errors.push(
                    "the path template cannot hold a query string; give the struct a `#[query]` field instead"
                        .to_owned(),
                );
                // the rest is a query string: one error is enough
                break;
            }
            '#' => {
                errors.push(
                    "a fragment (`#`) is never sent to the server; remove it from the path template"
                        .to_owned(),
                );
                break;
            }
            '%' => {
                let hex = template.get(i + 1..i + 3).unwrap_or("");
                if hex.len() == 2 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    literal.push('%');
                    literal.push_str(hex);
                    chars.next();
                    chars.next();
                } else {
                    errors.push(
                        "`%` in the path template must start an escape like `%20`; write `%25` for a literal `%`"
                            .to_owned(),
                    );
                }
            }
            c if is_path_char(c) => literal.push(c),
            c => {
                let mut buf = [0; 4];
                let escaped: String = c
                    .encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect();
                let shown = if c == ' ' {
                    "a space".to_owned()
                } else {
                    format!("`{}`", c.escape_default())
                };
                errors.push(format!(
                    "{shown} is not allowed in a URL path; write it percent-encoded as `{escaped}`"
                ));
            }
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    (parts, errors)
}

/// RFC 3986 `pchar` and `/`, less `%` (handled as escapes).
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.'
                | '_'
                | '~'
                | '!'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | '+'
                | ','
                | ';'
                | '='
                | ':'
                | '@'
                | '/'
        )
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::Part;

    fn parse(template: &str) -> Result<Vec<Part>, Vec<String>> {
        match super::parse(template) {
            (parts, errors) if errors.is_empty() => Ok(parts),
            (_, errors) => Err(errors),
        }
    }

    fn lit(s: &str) -> Part {
        Part::Literal(s.to_owned())
    }
    fn param(s: &str) -> Part {
        Part::Param(s.to_owned())
    }
    fn rest(s: &str) -> Part {
        Part::Rest(s.to_owned())
    }

    #[test]
    fn rest_placeholders() {
        assert_eq!(
            parse("/repos/<owner>/<repo>/contents/<path..>").unwrap(),
            vec![
                lit("/repos/"),
                param("owner"),
                lit("/"),
                param("repo"),
                lit("/contents/"),
                rest("path"),
            ]
        );
        assert_eq!(
            parse("/files/<path..>/raw").unwrap(),
            vec![lit("/files/"), rest("path"), lit("/raw")]
        );
        assert_eq!(
            errors("/files/<..>"),
            vec!["empty placeholder `<..>` in the path template; write the field name, as in `<path..>`"]
        );
        assert_eq!(
            errors("/files/<a.b>"),
            vec!["`<a.b>` is not a field name; a placeholder holds one field name, as in `<user_id>` (or `<path..>` for the rest of a path)"]
        );
    }

    #[test]
    fn splits_literals_and_params() {
        assert_eq!(
            parse("/sessions/<session_id>/tokens/<template_name>").unwrap(),
            vec![
                lit("/sessions/"),
                param("session_id"),
                lit("/tokens/"),
                param("template_name")
            ]
        );
        assert_eq!(
            parse("/v1/<name>:cancel").unwrap(),
            vec![lit("/v1/"), param("name"), lit(":cancel")]
        );
        assert_eq!(parse("/").unwrap(), vec![lit("/")]);
        assert_eq!(parse("/a%20b").unwrap(), vec![lit("/a%20b")]);
        assert_eq!(
            parse("/<a><b>").unwrap(),
            vec![lit("/"), param("a"), param("b")]
        );
    }

    fn errors(template: &str) -> Vec<String> {
        parse(template).unwrap_err()
    }

    #[test]
    fn reports_every_problem() {
        assert_eq!(
            errors("users/<>/{id}"),
            vec![
                "the path template must start with `/`, as in \"/users/<>/{id}\"",
                "empty placeholder `<>` in the path template; write the field name, as in `<id>`",
                "`{id}` placeholders are not supported; write `<id>`",
            ]
        );
    }

    #[test]
    fn unclosed_and_unmatched() {
        assert_eq!(
            errors("/users/<id/x"),
            vec![
                "unclosed `<id` in the path template; close the placeholder with `>`, as in `<id>`"
            ]
        );
        assert_eq!(
            errors("/users/<id"),
            vec![
                "unclosed `<id` in the path template; close the placeholder with `>`, as in `<id>`"
            ]
        );
        assert_eq!(
            errors("/a>b"),
            vec!["unmatched `>` in the path template; placeholders are written `<field>`"]
        );
        assert_eq!(
            errors("/<a-b>"),
            vec!["`<a-b>` is not a field name; a placeholder holds one field name, as in `<user_id>` (or `<path..>` for the rest of a path)"]
        );
    }

    #[test]
    fn query_fragment_and_bad_chars() {
        assert_eq!(errors("/users?limit=<limit>").len(), 1);
        assert_eq!(errors("/users#top").len(), 1);
        assert_eq!(
            errors("/a b"),
            vec!["a space is not allowed in a URL path; write it percent-encoded as `%20`"]
        );
        assert_eq!(
            errors("/é"),
            vec!["`\\u{e9}` is not allowed in a URL path; write it percent-encoded as `%C3%A9`"]
        );
        assert_eq!(errors("/100%"), errors("/100%zz"));
    }
}
