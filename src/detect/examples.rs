//! Running the `examples` and `negative_examples` that every pattern ships
//! with (used by the test suite and by `tiaoshu patterns test`).

use super::validate::Check;
use super::*;

/// Runs the examples of every detector and rule in `set`; returns failures.
pub fn failures(set: &PatternSet) -> Vec<String> {
    let engine = match Engine::new(set) {
        Ok(e) => e,
        Err(e) => return vec![e.to_string()],
    };
    let mut failures = Vec::new();
    for (i, spec) in set.detectors.iter().enumerate() {
        let d = &engine.detectors[i];
        for ex in &spec.examples {
            let mut buf = String::new();
            let v = normalize::clean(ex, &mut buf);
            if d.checker.validate(v) != Check::Valid {
                failures.push(format!("{}: example {ex:?} does not validate", spec.id));
            }
            if d.value_detect && d.class == Class::Identifier {
                if let Some((hit, Check::Valid)) = engine.value_hit(v) {
                    if engine.detectors[hit as usize].id != spec.id
                        && engine.detectors[hit as usize].class == Class::Identifier
                    {
                        failures.push(format!(
                            "{}: example {ex:?} is detected as {}",
                            spec.id, engine.detectors[hit as usize].id
                        ));
                    }
                }
            }
        }
        for ex in &spec.negative_examples {
            let mut buf = String::new();
            let v = normalize::clean(ex, &mut buf);
            if d.checker.validate(v) == Check::Valid {
                failures.push(format!("{}: negative example {ex:?} validates", spec.id));
            }
        }
        let want = if spec.class == Class::Ignore {
            Role::Ignore
        } else {
            Role::Detector(i as u16)
        };
        for h in spec.headers.iter().chain(&spec.header_examples) {
            let got = engine.role_for_header(h);
            if got != want {
                failures.push(format!("{}: header {h:?} resolves to {got:?}", spec.id));
            }
        }
        for h in &spec.negative_header_examples {
            if engine.role_for_header(h) == want {
                failures.push(format!("{}: negative header {h:?} resolves to it", spec.id));
            }
        }
        if spec.examples.len() + spec.header_examples.len() == 0
            || spec.negative_examples.len() + spec.negative_header_examples.len() == 0
        {
            failures.push(format!("{}: needs positive and negative examples", spec.id));
        }
    }
    for (i, spec) in set.rules.iter().enumerate() {
        for ex in &spec.examples {
            let mut facts = RecordFacts::default();
            engine.detect_field(Role::Unknown, ex, &mut facts, &mut Scratch::default());
            if facts.evidence & engine.rules[i].evidence.bit() == 0 {
                failures.push(format!("{}: example {ex:?} does not fire", spec.id));
            }
        }
        for ex in &spec.negative_examples {
            let mut facts = RecordFacts::default();
            engine.detect_field(Role::Unknown, ex, &mut facts, &mut Scratch::default());
            if facts.evidence & engine.rules[i].evidence.bit() != 0 {
                failures.push(format!("{}: negative example {ex:?} fires", spec.id));
            }
        }
        let fires = |h: &str| matches!(engine.role_for_header(h), Role::Evidence(r) if engine.rules[r as usize].evidence == engine.rules[i].evidence);
        for h in spec.header_examples.iter().chain(&spec.headers) {
            if !fires(h) {
                failures.push(format!(
                    "{}: header {h:?} resolves to {:?}",
                    spec.id,
                    engine.role_for_header(h)
                ));
            }
        }
        for h in &spec.negative_header_examples {
            if fires(h) {
                failures.push(format!("{}: negative header {h:?} fires", spec.id));
            }
        }
        if spec.examples.len() + spec.header_examples.len() == 0
            || spec.negative_examples.len() + spec.negative_header_examples.len() == 0
        {
            failures.push(format!("{}: needs positive and negative examples", spec.id));
        }
    }
    failures
}
