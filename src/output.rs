//! What render produces and write stores: the in-memory file of the site, and the HTML text
//! helpers both read pages with. It sits below both stages, so neither imports the other.

/// One file of the site: a path relative to the output root (with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative path, e.g. `campaigns/x/index.html`.
    pub path: String,
    /// Contents: shared, not copied, when `serve` keeps a page from one build to the next.
    pub bytes: bytes::Bytes,
}

/// A page's text (or part of one): qunce writes UTF-8, checked here with SIMD (the standard
/// library's lossy reading was a thirtieth of a build); anything else is read lossily.
pub fn page_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    simdutf8::basic::from_utf8(bytes).map_or_else(
        |_| String::from_utf8_lossy(bytes),
        std::borrow::Cow::Borrowed,
    )
}

/// HTML text back to plain text, each entity decoded once (`&amp;lt;` stays `&lt;`): the search
/// page puts it into the DOM as text, which escapes it exactly once.
pub fn unescape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // `;` is ASCII, so its byte position is always a character boundary.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            let ch = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let number = entity.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((ch, end + 1))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_decoded_once() {
        assert_eq!(
            unescape_html("A&#x2f;B 测试：&quot;新&quot; &amp;lt; &#39;x&#39; &bogus; & ok"),
            "A/B 测试：\"新\" &lt; 'x' &bogus; & ok"
        );
    }
}
