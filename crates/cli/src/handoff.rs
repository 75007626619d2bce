//! `guitu device`, `guitu peer`, `guitu bundle` and `guitu conflicts`: hand-off between
//! devices (docs/SYNC.md).

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use guitu_api::{ApiError, ConflictChoice, MergeReport, PeerView, Problem, Session, clock};
use guitu_domain::handoff::{HandoffBasis, LegalBasis, RecipientKind};
use guitu_domain::label::LabelledEnum;
use guitu_text::Lang;

use crate::output::{self, t};

#[derive(Subcommand, Debug)]
pub enum DeviceCommand {
    /// Write this device's contact card (public keys only) for a peer to add.
    Card {
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Give this device a name its peers will see.
    Rename { name: String },
}

#[derive(Subcommand, Debug)]
pub enum PeerCommand {
    /// Add a peer from its contact card. Compare the fingerprint with the other side
    /// (read aloud, or on paper) and give it with --fingerprint; without it the
    /// card's fingerprint is shown and nothing is added.
    Add {
        card: PathBuf,
        /// What the peer is: assistance_institution | school | hospital | legal_aid |
        /// police | civil_affairs (a case goes to it on a consent for that kind).
        #[arg(long, default_value = "assistance_institution")]
        kind: String,
        /// The fingerprint as compared with the other side (digits; spaces ignored).
        #[arg(long)]
        fingerprint: Option<String>,
    },
    /// The peers.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a peer (its bundles are refused from now on).
    Remove {
        /// The peer's name or device id.
        peer: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum BundleCommand {
    /// Write a signed, encrypted bundle for a peer: the changes it has not acknowledged
    /// of the chosen cases (or of the cases shared with it).
    Create {
        /// The peer's name or device id.
        #[arg(long)]
        to: String,
        /// Case numbers or ids (default: the cases shared with the peer).
        #[arg(long, num_args = 1..)]
        cases: Vec<String>,
        /// The legal basis for cases without a consent in force for the peer's kind.
        #[arg(long)]
        basis: Option<String>,
        /// A note on the legal basis (a request number, say).
        #[arg(long)]
        basis_note: Option<String>,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Open a peer's bundle: verify, decrypt and merge; report what was added, changed and
    /// put into conflict.
    Open {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConflictCommand {
    /// Resolve a conflict: --keep the value here, --take the other device's, or --value.
    #[command(group(clap::ArgGroup::new("how").required(true).args(["keep", "take", "value"])))]
    Resolve {
        id: i64,
        #[arg(long, conflicts_with_all = ["take", "value"])]
        keep: bool,
        #[arg(long, conflicts_with = "value")]
        take: bool,
        /// A new value: JSON (`"某区救助管理站"`, `true`, `"2026-03-01"`), or plain text.
        #[arg(long)]
        value: Option<String>,
    },
}

fn line(out: &mut impl Write, s: &str) {
    let _ = writeln!(out, "{s}");
}

/// A peer by name or device id.
fn peer_id(s: &Session, reference: &str) -> Result<String, ApiError> {
    let peers = s.peers()?;
    peers
        .iter()
        .find(|p| p.device_id == reference)
        .or_else(|| peers.iter().find(|p| p.name == reference && !p.removed))
        .map(|p| p.device_id.clone())
        .ok_or_else(|| {
            ApiError::Input(Problem::UnknownPeer {
                given: reference.to_owned(),
            })
        })
}

fn peer_line(p: &PeerView, lang: Lang) -> String {
    let state = if p.removed {
        t(lang, "（已移除）", " (removed)")
    } else {
        String::new()
    };
    format!(
        "{}{state}  {}  {}  {}  {}",
        p.name,
        guitu_text::label(&p.kind, lang),
        p.fingerprint,
        t(
            lang,
            &format!("共享个案 {}", p.cases),
            &format!("{} cases shared", p.cases)
        ),
        p.device_id
    )
}

pub fn device(
    s: &mut Session,
    cmd: Option<DeviceCommand>,
    out: &mut impl Write,
    lang: Lang,
) -> Result<(), ApiError> {
    match cmd {
        None => {
            let d = s.device()?;
            line(
                out,
                &format!("{}  {}  {}", d.name, d.fingerprint, d.device_id),
            );
        }
        Some(DeviceCommand::Card { output }) => {
            let text = s.device_card_text()?;
            guitu_api::files::write_private(&output, text.as_bytes())?;
            let d = s.device()?;
            line(
                out,
                &t(
                    lang,
                    &format!(
                        "联系卡已写入 {}；指纹：{}（请与对方核对）",
                        output.display(),
                        d.fingerprint
                    ),
                    &format!(
                        "Contact card written to {}; fingerprint: {} (compare it with the other side)",
                        output.display(),
                        d.fingerprint
                    ),
                ),
            );
        }
        Some(DeviceCommand::Rename { name }) => {
            let d = s.rename_device(&name)?;
            line(
                out,
                &t(
                    lang,
                    &format!("本机名称：{}", d.name),
                    &format!("This device: {}", d.name),
                ),
            );
        }
    }
    Ok(())
}

pub fn peer(
    s: &mut Session,
    cmd: PeerCommand,
    out: &mut impl Write,
    lang: Lang,
) -> Result<(), ApiError> {
    match cmd {
        PeerCommand::Add {
            card,
            kind,
            fingerprint,
        } => {
            let kind: RecipientKind = kind.parse().map_err(|_| {
                ApiError::Input(Problem::UnknownRecipientKind {
                    given: kind.clone(),
                    allowed: RecipientKind::ALL
                        .iter()
                        .map(|k| k.as_str().to_owned())
                        .collect(),
                })
            })?;
            let text = String::from_utf8(crate::read_file(&card)?)
                .map_err(|_| ApiError::Input(Problem::BadCard))?;
            let preview = s.read_card(&text)?;
            let Some(confirmed) = fingerprint else {
                line(
                    out,
                    &t(
                        lang,
                        &format!(
                            "设备“{}”的指纹：{}\n请与对方核对后，加 --fingerprint \"{}\" 再次运行以添加",
                            preview.name, preview.fingerprint, preview.fingerprint
                        ),
                        &format!(
                            "Device \"{}\" has the fingerprint {}\nCompare it with the other side, then run again with --fingerprint \"{}\" to add it",
                            preview.name, preview.fingerprint, preview.fingerprint
                        ),
                    ),
                );
                return Err(ApiError::Input(Problem::FingerprintMismatch));
            };
            let p = s.add_peer(&text, kind, &confirmed)?;
            line(out, &t(lang, "已添加对端设备：", "Peer added:"));
            line(out, &peer_line(&p, lang));
        }
        PeerCommand::List { json } => {
            let peers = s.peers()?;
            if json {
                line(out, &output::json(&peers));
            } else if peers.is_empty() {
                line(out, &t(lang, "没有对端设备", "No peers"));
            } else {
                for p in &peers {
                    line(out, &peer_line(p, lang));
                }
            }
        }
        PeerCommand::Remove { peer } => {
            let id = peer_id(s, &peer)?;
            s.remove_peer(&id)?;
            line(out, &t(lang, "已移除对端设备", "Peer removed"));
        }
    }
    Ok(())
}

fn basis_text(b: &Option<HandoffBasis>, kind: RecipientKind, lang: Lang) -> String {
    match b {
        Some(b) => guitu_text::handoff_basis(b, kind, false, lang),
        None => t(lang, "（未记录依据）", "(no basis recorded)"),
    }
}

pub fn report(r: &MergeReport, lang: Lang) -> String {
    let mut s = String::new();
    if r.replayed {
        return t(
            lang,
            &format!("此移交包（来自“{}”）已接收过，档案库未作改动", r.peer_name),
            &format!(
                "This bundle (from \"{}\") was opened before: nothing changed",
                r.peer_name
            ),
        );
    }
    s.push_str(&t(
        lang,
        &format!(
            "已接收来自“{}”的移交包（{} 制作）：新增 {}，修改字段 {}，冲突 {}，已有的修改 {}",
            r.peer_name, r.made_by, r.added, r.changed, r.conflicts, r.known_changes
        ),
        &format!(
            "Bundle from \"{}\" (made by {}) opened: {} added, {} fields changed, {} conflicts, {} changes already held",
            r.peer_name, r.made_by, r.added, r.changed, r.conflicts, r.known_changes
        ),
    ));
    for c in &r.cases {
        s.push('\n');
        let basis = basis_text(&c.basis, RecipientKind::AssistanceInstitution, lang);
        s.push_str(&t(
            lang,
            &format!(
                "  {}  新增 {}  修改 {}  冲突 {}  依据：{basis}",
                c.case_number, c.added, c.changed, c.conflicts
            ),
            &format!(
                "  {}  added {}  changed {}  conflicts {}  basis: {basis}",
                c.case_number, c.added, c.changed, c.conflicts
            ),
        ));
    }
    if r.conflicts > 0 {
        s.push('\n');
        s.push_str(&t(
            lang,
            "有冲突待处理：guitu conflicts",
            "Conflicts wait for you: guitu conflicts",
        ));
    }
    s
}

pub fn bundle(
    s: &mut Session,
    cmd: BundleCommand,
    out: &mut impl Write,
    lang: Lang,
) -> Result<(), ApiError> {
    match cmd {
        BundleCommand::Create {
            to,
            cases,
            basis,
            basis_note,
            output,
        } => {
            let peer = peer_id(s, &to)?;
            let ids = cases
                .iter()
                .map(|c| s.find_case(c).map(|c| c.id))
                .collect::<Result<Vec<_>, _>>()?;
            let legal = basis
                .map(|b| {
                    b.parse::<LegalBasis>()
                        .map(|l| HandoffBasis::legal(l, basis_note.as_deref()))
                        .map_err(|_| {
                            ApiError::Input(Problem::UnknownBasis {
                                given: b.clone(),
                                allowed: LegalBasis::ALL
                                    .iter()
                                    .map(|l| l.as_str().to_owned())
                                    .collect(),
                            })
                        })
                })
                .transpose()?;
            let today = clock::today()?;
            let made = s.create_bundle(
                &peer,
                (!ids.is_empty()).then_some(ids.as_slice()),
                legal,
                today,
                &output,
            )?;
            line(
                out,
                &t(
                    lang,
                    &format!(
                        "已为“{}”生成移交包：{} 个个案，{} 项修改，已签名并加密，写入 {}",
                        made.peer.name,
                        made.cases,
                        made.changes,
                        output.display()
                    ),
                    &format!(
                        "Bundle for \"{}\": {} cases, {} changes, signed and encrypted, written to {}",
                        made.peer.name,
                        made.cases,
                        made.changes,
                        output.display()
                    ),
                ),
            );
        }
        BundleCommand::Open { file, json } => {
            let r = s.open_bundle(&file)?;
            if json {
                line(out, &output::json(&r));
            } else {
                line(out, &report(&r, lang));
            }
        }
    }
    Ok(())
}

pub fn conflicts(
    s: &mut Session,
    cmd: Option<ConflictCommand>,
    case: Option<String>,
    json: bool,
    out: &mut impl Write,
    lang: Lang,
) -> Result<(), ApiError> {
    match cmd {
        None => {
            let case = case.map(|c| s.find_case(&c).map(|c| c.id)).transpose()?;
            let list = s.conflicts(case)?;
            if json {
                line(out, &output::json(&list));
            } else if list.is_empty() {
                line(out, &t(lang, "没有待处理的冲突", "No conflicts wait"));
            } else {
                for c in &list {
                    let c2 = &c.conflict;
                    let field = match &c2.record_kind {
                        Some(k) => guitu_text::field(&format!("{k}.{}", c2.field), lang),
                        None => {
                            guitu_text::field(&format!("{}.{}", c2.entity.as_str(), c2.field), lang)
                        }
                    };
                    line(
                        out,
                        &t(
                            lang,
                            &format!(
                                "#{}  {}  {field}\n    本机：{}（{} {}）\n    对方：{}（{} {}，{}）",
                                c2.id,
                                c.case_number,
                                c2.local_value,
                                c2.local_actor,
                                c2.local_at.get(..10).unwrap_or(&c2.local_at),
                                c2.incoming_value,
                                c2.incoming_actor,
                                c2.incoming_at.get(..10).unwrap_or(&c2.incoming_at),
                                c2.incoming_device
                            ),
                            &format!(
                                "#{}  {}  {field}\n    here:  {} ({} {})\n    other: {} ({} {}, {})",
                                c2.id,
                                c.case_number,
                                c2.local_value,
                                c2.local_actor,
                                c2.local_at.get(..10).unwrap_or(&c2.local_at),
                                c2.incoming_value,
                                c2.incoming_actor,
                                c2.incoming_at.get(..10).unwrap_or(&c2.incoming_at),
                                c2.incoming_device
                            ),
                        ),
                    );
                }
            }
        }
        Some(ConflictCommand::Resolve {
            id,
            keep,
            take,
            value,
        }) => {
            let choice = match (keep, take, value) {
                (true, _, _) => ConflictChoice::Local,
                (_, true, _) => ConflictChoice::Incoming,
                (_, _, Some(v)) => ConflictChoice::Value {
                    value: serde_json::from_str(&v).unwrap_or(serde_json::Value::String(v)),
                },
                // clap requires one of the three.
                (false, false, None) => ConflictChoice::Local,
            };
            s.resolve_conflict(id, choice)?;
            line(
                out,
                &t(
                    lang,
                    "冲突已处理，下一个移交包会把结果带给对方",
                    "Conflict resolved: the next bundle takes the result to the peers",
                ),
            );
        }
    }
    Ok(())
}
