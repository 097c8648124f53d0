//! The column typer: which of an input's first records is its header row,
//! and what a column holds whose header says nothing (or that has none),
//! judged from its first values. Text, sheets and columnar files are typed
//! here, with the same limits.

use super::{Engine, Role};

/// Records looked at for a header row: exports often open with a title or
/// a date line, so the header need not be the first.
pub const HEADER_SEARCH_RECORDS: usize = 10;

/// Records whose values type a column of unknown role.
pub const SAMPLE_RECORDS: usize = 200;

/// The search for a header row among an input's first records, offered one
/// at a time.
pub struct HeaderSearch<'e> {
    engine: &'e Engine,
    offered: usize,
}

impl<'e> HeaderSearch<'e> {
    pub fn new(engine: &'e Engine) -> Self {
        HeaderSearch { engine, offered: 0 }
    }

    /// The next record: the columns' roles if it is the header row, `None`
    /// if it is not.
    pub fn offer(&mut self, fields: &[&str]) -> Option<Vec<Role>> {
        self.offered += 1;
        self.engine
            .looks_like_header(fields)
            .then(|| self.engine.roles_for_header(fields))
    }

    /// Whether `HEADER_SEARCH_RECORDS` records were offered and none was
    /// the header: the input has none.
    pub fn given_up(&self) -> bool {
        self.offered >= HEADER_SEARCH_RECORDS
    }
}

impl Engine {
    /// The roles of the columns a header row names.
    pub fn roles_for_header<S: AsRef<str>>(&self, names: &[S]) -> Vec<Role> {
        names
            .iter()
            .map(|n| self.role_for_header(n.as_ref()))
            .collect()
    }

    /// Types each column of unknown role from `sample(column)`: its values
    /// in the first `SAMPLE_RECORDS` records (`None`: it cannot be sampled,
    /// and stays unknown).
    pub fn type_unknown<S, I>(&self, roles: &mut [Role], mut sample: impl FnMut(usize) -> Option<I>)
    where
        S: AsRef<str>,
        I: IntoIterator<Item = S>,
    {
        for (column, role) in roles.iter_mut().enumerate() {
            if *role != Role::Unknown {
                continue;
            }
            if let Some(values) = sample(column) {
                let values: Vec<S> = values.into_iter().collect();
                *role = self.role_from_sample(values.iter().map(AsRef::as_ref));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::builtin().unwrap()
    }

    #[test]
    fn the_header_is_searched_for_among_the_first_ten_records_only() {
        let engine = engine();
        let mut search = HeaderSearch::new(&engine);
        for _ in 0..HEADER_SEARCH_RECORDS - 1 {
            assert!(search.offer(&["导出时间 2026-01-01"]).is_none());
            assert!(!search.given_up());
        }
        assert!(search.offer(&["13812345678", "张伟"]).is_none());
        assert!(search.given_up());
    }

    #[test]
    fn a_header_row_gives_its_columns_roles() {
        let engine = engine();
        let mut search = HeaderSearch::new(&engine);
        let roles = search.offer(&["姓名", "手机号", "备注"]).unwrap();
        assert_eq!(roles.len(), 3);
        assert_eq!(roles[0], engine.role_for_header("姓名"));
        assert_ne!(roles[1], Role::Unknown);
        assert_eq!(roles[2], engine.role_for_header("备注"));
    }

    #[test]
    fn only_unknown_columns_are_sampled() {
        let engine = engine();
        let phone = engine.role_for_header("手机号");
        let mut roles = vec![phone, Role::Unknown, Role::Unknown];
        let mut asked = Vec::new();
        engine.type_unknown(&mut roles, |c| {
            asked.push(c);
            (c == 1).then(|| {
                vec![
                    "13812345678",
                    "13912345678",
                    "13712345678",
                    "15012345678",
                    "18612345678",
                ]
            })
        });
        assert_eq!(asked, [1, 2]);
        assert_eq!(roles[0], phone);
        assert_eq!(roles[1], phone, "a column of mobiles is typed as one");
        assert_eq!(roles[2], Role::Unknown, "not sampled: stays unknown");
    }
}
