//! Streams of the items of a paginated list.

use super::error::Error;

/// The items of a list fetched page by page: `fetch(limit, offset)` gets one page; the stream
/// ends after the first page shorter than `page_size`, or after an error.
pub(crate) fn paginate<'a, T, E, F, Fut>(
    page_size: i64,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    T: 'a,
    E: 'a,
    F: FnMut(i64, i64) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Vec<T>, Error<E>>> + 'a,
{
    struct Pages<F, T> {
        fetch: F,
        page_size: i64,
        offset: i64,
        buffer: std::vec::IntoIter<T>,
        done: bool,
    }
    let start = Pages { fetch, page_size: page_size.max(1), offset: 0, buffer: Vec::new().into_iter(), done: false };
    futures_util::stream::unfold(start, |mut pages| async move {
        loop {
            if let Some(item) = pages.buffer.next() {
                return Some((Ok(item), pages));
            }
            if pages.done {
                return None;
            }
            match (pages.fetch)(pages.page_size, pages.offset).await {
                Ok(page) => {
                    let len = page.len() as i64;
                    pages.done = len < pages.page_size;
                    pages.offset += len;
                    pages.buffer = page.into_iter();
                }
                Err(e) => {
                    pages.done = true;
                    return Some((Err(e), pages));
                }
            }
        }
    })
}
