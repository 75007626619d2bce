//! The import parser (`guitu_api::transfer::parse`, the first thing `guitu import` does
//! with a file), then the domain's checks on every item it accepts (without a vault), and
//! the text of every refusal in both languages: none may panic, and no refusal may repeat
//! the file's values (a long marker planted in the input must never reach a message).
#![no_main]

use guitu_api::transfer::parse;
use guitu_domain::validate;
use guitu_text::{Lang, problem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse(data) {
        Err(e) => {
            let p = e.problem();
            for lang in [Lang::Zh, Lang::En] {
                let text = problem(&p, lang);
                assert!(
                    !text.contains("MARKERxyzzy"),
                    "a refusal repeats a value of the file: {text}"
                );
            }
        }
        Ok(mut file) => {
            for p in &mut file.persons {
                let _ = validate::validate_person(p);
            }
            for c in &file.cases {
                let _ = validate::validate_case(c);
            }
            for r in &file.records {
                let _ = r.body.check_fields();
                let _ = r.check_authors();
                let _ = r.body.search_text();
                let _ = r.body.date();
            }
        }
    }
});
