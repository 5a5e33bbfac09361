//! Following pages: the `Link` header, offsets with and without a total, and tokens.

use crate::runtime::{link_next, next_offset, next_token};

#[test]
fn the_next_link_is_found_whatever_the_order_and_quoting() {
    let github = r#"<https://api.github.com/r?page=2>; rel="next", <https://api.github.com/r?page=5>; rel="last""#;
    assert_eq!(link_next(Some(github)).as_deref(), Some("https://api.github.com/r?page=2"));
    let last_first = r#"<https://a/x?page=1>; rel="prev first", <https://a/x?page=3>; rel=next"#;
    assert_eq!(link_next(Some(last_first)).as_deref(), Some("https://a/x?page=3"));
    let several = r#"<https://a/3>; title="a, <b>"; rel="last next""#;
    assert_eq!(link_next(Some(several)).as_deref(), Some("https://a/3"));
    assert_eq!(link_next(Some(r#"<https://a/1>; rel="prev""#)), None);
    assert_eq!(link_next(Some("garbage <")), None);
    assert_eq!(link_next(None), None);
}

#[test]
fn offsets_end_at_the_total_or_at_a_short_or_empty_page() {
    assert_eq!(next_offset(10, 0, 10, None), Some(10));
    assert_eq!(next_offset(10, 10, 3, None), None);
    assert_eq!(next_offset(10, 0, 0, None), None);
    assert_eq!(next_offset(10, 0, 4, Some(9)), Some(4), "a capped page does not end the list");
    assert_eq!(next_offset(10, 8, 1, Some(9)), None);
    assert_eq!(next_offset(10, 4, 0, Some(9)), None, "an empty page ends it whatever the total");
    // A `count` that is the page's own length is no total: full pages go on, a short one ends.
    assert_eq!(next_offset(10, 0, 10, Some(10)), Some(10), "one more request, in case");
    assert_eq!(next_offset(10, 10, 10, Some(10)), Some(20));
    assert_eq!(next_offset(10, 20, 3, Some(3)), None);
    assert_eq!(next_offset(10, 0, 10, Some(25)), Some(10));
    assert_eq!(next_offset(10, 20, 5, Some(25)), None, "the total reached");
}

#[test]
fn an_empty_token_ends_the_list() {
    assert_eq!(next_token(Some("t".into())), Some(Some("t".into())));
    assert_eq!(next_token(Some(String::new())), None);
    assert_eq!(next_token(None), None);
}

/// The (limit, offset) each page asked for, in order.
type Asked = std::sync::Arc<std::sync::Mutex<Vec<(Option<u32>, Option<u32>)>>>;

/// A call that lists `0..total` by limit and offset, recording what each page asked for.
#[derive(Clone)]
struct Listing {
    total: u32,
    limit: Option<u32>,
    offset: Option<u32>,
    asked: Asked,
}

impl std::future::IntoFuture for Listing {
    type Output = Result<Vec<u32>, crate::Error<()>>;
    type IntoFuture = std::future::Ready<Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        self.asked.lock().unwrap().push((self.limit, self.offset));
        let (start, limit) = (self.offset.unwrap_or(0), self.limit.unwrap_or(100));
        std::future::ready(Ok((start..self.total.min(start + limit)).collect()))
    }
}

#[tokio::test]
async fn offset_pages_sets_each_page_and_ends_at_a_short_one() {
    use futures_util::StreamExt;
    let asked = std::sync::Arc::default();
    let call = Listing { total: 7, limit: None, offset: Some(99), asked: std::sync::Arc::clone(&asked) };
    let items: Vec<u32> = crate::runtime::offset_pages(call, 3, |page, limit, offset| {
        page.limit = u32::try_from(limit).ok();
        page.offset = u32::try_from(offset).ok();
    })
    .map(Result::unwrap)
    .collect()
    .await;
    assert_eq!(items, (0..7).collect::<Vec<_>>());
    assert_eq!(*asked.lock().unwrap(), [(Some(3), Some(0)), (Some(3), Some(3)), (Some(3), Some(6))]);
}
