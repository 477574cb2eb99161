//! The `Link` header (RFC 8288): the subset a paginator needs, `rel="next"`.

use http::HeaderMap;

/// The `rel="next"` target of `Link` headers (RFC 8288), as written (it may be relative).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| find_rel(value, "next"))
        .map(str::to_owned)
}

/// The target of the first link-value in `header` whose `rel` has `rel` among its types.
fn find_rel<'h>(header: &'h str, rel: &str) -> Option<&'h str> {
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let Some(after) = rest.strip_prefix('<') else {
            // Not a link-value: skip to the next one.
            rest = &rest[rest.find(',')? + 1..];
            continue;
        };
        let end = after.find('>')?;
        let target = &after[..end];
        rest = &after[end + 1..];
        let mut found = false;
        // Parameters: `; name`, `; name=token` or `; name="quoted"`, up to the next link.
        loop {
            rest = rest.trim_start_matches([' ', '\t']);
            let Some(param) = rest.strip_prefix(';') else {
                break;
            };
            let param = param.trim_start_matches([' ', '\t']);
            let name_end = param.find(['=', ';', ',']).unwrap_or(param.len());
            let name = param[..name_end].trim();
            rest = &param[name_end..];
            let mut value = String::new();
            if let Some(after_eq) = rest.strip_prefix('=') {
                let after_eq = after_eq.trim_start_matches([' ', '\t']);
                if let Some(quoted) = after_eq.strip_prefix('"') {
                    let mut chars = quoted.char_indices();
                    let mut close = quoted.len();
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, escaped)) = chars.next() {
                                    value.push(escaped);
                                }
                            }
                            '"' => {
                                close = i + 1;
                                break;
                            }
                            c => value.push(c),
                        }
                    }
                    rest = &quoted[close..];
                } else {
                    let end = after_eq.find([';', ',']).unwrap_or(after_eq.len());
                    value.push_str(after_eq[..end].trim());
                    rest = &after_eq[end..];
                }
            }
            if name.eq_ignore_ascii_case("rel")
                && value
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case(rel))
            {
                found = true;
            }
        }
        if found {
            return Some(target);
        }
        // Whatever is left of a malformed link-value, up to the next one.
        match rest.find(',') {
            Some(comma) => rest = &rest[comma + 1..],
            None => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            find_rel(github, "next"),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        assert_eq!(
            find_rel(github, "last"),
            Some("https://api.github.com/repositories/1/issues?page=5")
        );
        // rel first, unquoted, several types, other parameters, commas inside the URL.
        assert_eq!(
            find_rel(
                r#"<http://a/?x=1,2>; title="a, b; c"; rel="prev"  , </p?3>;rel=next"#,
                "next"
            ),
            Some("/p?3")
        );
        assert_eq!(find_rel(r#"<a>; rel="last NEXT""#, "next"), Some("a"));
        assert_eq!(find_rel(r#"<a>; rel="prev""#, "next"), None);
        assert_eq!(find_rel(r#"<a>; title="\"rel=next\"""#, "next"), None);
        assert_eq!(find_rel("garbage, <b>; rel=next", "next"), Some("b"));
        assert_eq!(find_rel("", "next"), None);
        assert_eq!(find_rel("<unclosed; rel=next", "next"), None);

        let mut headers = HeaderMap::new();
        headers.append(http::header::LINK, "<a>; rel=prev".parse().unwrap());
        headers.append(http::header::LINK, "<b>; rel=next".parse().unwrap());
        assert_eq!(next_link(&headers).as_deref(), Some("b"));
    }
}
