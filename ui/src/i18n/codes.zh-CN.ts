// Simplified Chinese text of every code the Rust side reports (see codes.ts). Glossary:
// 档案库 (the vault), 密码 (a passphrase), 个案编号 (a case number).
import type { CodeCatalogue } from './codes';
import type { LedgerCell } from '../bindings/LedgerCell';

const ledgerAt = (at: LedgerCell) => `工作表“${at.sheet}”第${at.row}行“${at.header}”列`;

const LISTS: { [list: string]: string } = { persons: '人员', cases: '个案', records: '记录' };

export const codesZh: CodeCatalogue = {
  problems: {
    'vault.wrong_passphrase': () => '密码或恢复码不正确，档案库未作任何改动',
    'vault.no_vault': ({ dir }) => `${dir} 中没有档案库，请先创建`,
    'vault.exists': ({ dir }) => `${dir} 中已有档案库`,
    'vault.not_writable': ({ path }) => `无法写入 ${path}，请检查权限或换一个目录`,
    'vault.disk_full': ({ dir }) => `磁盘已满：${dir} 所在的磁盘没有空间，请腾出空间后重试；已保存的数据未受影响`,
    'vault.io': ({ path, kind }, f) => `档案库文件 ${path} 读写失败（${f.io(kind)}）`,
    'vault.header_corrupt': () => '档案库的密钥文件已损坏，请从备份恢复',
    'vault.newer_version': ({ found, supported }) =>
      `此档案库由更新版本的归途创建（结构版本${found}，本程序支持到${supported}），请升级归途后再打开；文件未作改动`,
    'vault.crypto': () => '加密运算失败',
    'vault.weak_passphrase': ({ min }) => `密码太短，至少需要${min}个字符`,
    'vault.last_slot': () => '不能删除档案库的最后一个密钥，否则再也无法打开',
    'vault.not_found': ({ what, reference }, f) => `未找到${f.thing(what)}：${reference}`,
    'vault.duplicate': ({ what, value }, f) => `${f.thing(what)}已存在：${value}`,
    'vault.corrupt': () => '档案库数据已损坏，请运行“guitu verify”检查，并从备份恢复',
    'vault.bad_backup': ({ reason }, f) => `不是有效的归途备份文件：${f.backup(reason)}`,
    'vault.database_missing': ({ dir }) => `${dir} 中的档案库数据库文件不见了（密钥文件还在），请从备份恢复`,
    'vault.database_empty': ({ dir }) => `${dir} 中的档案库数据库是空的（被截断或替换），未作任何改动，请从备份恢复`,
    'vault.changes_missing': ({ dir, missing, last_known_on }, f) =>
      `${dir} 中的档案库缺少最近的${missing}项更改${last_known_on ? `（最后一项在${f.date(last_known_on)}）` : ''}：数据库被换成了旧副本，或其日志文件被删除或截断；请从备份恢复`,
    'vault.history_diverged': ({ dir, seq }) => `${dir} 中的档案库数据库被另一个副本替换（第${seq}项更改不符），请从备份恢复`,
    'vault.checkpoint_missing': ({ dir }) => `${dir} 中的档案库校验点文件不见了，无法确认数据完整`,
    'vault.checkpoint_invalid': ({ dir }) => `${dir} 中的档案库校验点无效（被改动，或属于另一个档案库）`,
    'vault.header_rolled_back': ({ dir, found, expected }) =>
      `${dir} 中的密钥文件被旧副本替换（第${found}版，应为第${expected}版）；已撤销的密码不能打开档案库`,
    'vault.restore_other_vault': () => '该备份属于另一个档案库，须确认后才能替换当前档案库',
    'vault.restore_older': ({ backup_changes, current_changes, backup_last_on }, f) =>
      `该备份比当前档案库旧（备份到第${backup_changes}项更改${backup_last_on ? `，${f.date(backup_last_on)}` : ''}；档案库已有${current_changes}项），恢复将丢失较新的更改，须确认后才能恢复`,
    'vault.case_person_fixed': () => '个案不能改属另一名受害人',
    'vault.record_kind_fixed': () => '记录不能改变类别',
    'vault.same_person': () => '不能把同一人与自己合并或区分',
    'vault.merge_undone': () => '该合并已撤销',
    'vault.voided': () => '已作废，恢复后才能修改',
    'vault.not_voided': () => '未作废，无需恢复',
    'vault.internal': () => '数据库操作失败，请运行“guitu verify”检查档案库',

    'import.not_json': ({ line, column }) =>
      `导入文件不是完整有效的JSON（第${line}行第${column}列），未写入任何数据`,
    'import.trailing': ({ line, column }) =>
      `导入文件在JSON文档之后还有内容（第${line}行第${column}列），可能是两个文件拼在一起；未写入任何数据`,
    'import.format': ({ supported }) => `不是本程序可读的归途导入文件（应为第1至${supported}版格式），未写入任何数据`,
    'import.invalid': ({ path, problem }, f) => `导入被拒绝，未写入任何数据：${path} ${f.importProblem(problem)}`,
    'import.rule': ({ at, error }, f) => `导入被拒绝，未写入任何数据：${f.location(at)}：${f.rule(error)}`,
    'import.duplicate_id': ({ at }, f) => `导入被拒绝，未写入任何数据：${f.location(at)} 的标识在文件或档案库中重复`,
    'import.duplicate_case_number': ({ at, case_number }, f) =>
      `导入被拒绝，未写入任何数据：${f.location(at)} 的个案编号 ${case_number} 重复`,
    'import.missing_reference': ({ at, field, target }, f) =>
      `导入被拒绝，未写入任何数据：${f.location(at)} 的字段 ${field} 指向不存在的 ${target}`,
    'import.undecided_duplicates': ({ count }) =>
      `导入被拒绝，未写入任何数据：有${count}对人员可能与档案库中的人员重复，请逐对确认是否同一人`,

    'ledger.not_workbook': () => '不是可读取的Excel工作簿（.xlsx或.xls），未写入任何数据',
    'ledger.no_sheet': ({ sheet }) => `工作簿中没有名为“${sheet}”的工作表`,
    'ledger.no_header': () => '前十行中没有表头行（至少三个可识别的列名，如姓名、身份证号、解救日期）',
    'ledger.missing_column': ({ header }) => `台账缺少“${header}”列，请在对应关系中指定`,
    'ledger.column_twice': ({ header }) => `有两列都对应“${header}”，请只保留一列`,
    'ledger.bad_map': () => '对应关系文件应为JSON对象：列名 → 字段名',
    'ledger.unknown_map_column': ({ given, allowed }) => `对应关系文件中的字段名“${given}”不存在，可用：${allowed.join('、')}`,
    'ledger.map_header_missing': () => '对应关系文件中的列名在表头行中找不到',
    'ledger.no_institution': () => '台账没有“接收机构”列，设置中也没有填报单位：请指定该列或先设置填报单位',
    'ledger.empty': () => '台账没有数据行，未写入任何数据',
    'ledger.already_imported': () => '这份台账（同一文件、同一工作表）已经导入过，未写入任何数据',
    'ledger.write_failed': () => '台账文件生成失败',
    'ledger.missing_value': ({ at }) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}不能为空`,
    'ledger.not_a_date': ({ at }) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}不是日期`,
    'ledger.impossible_date': ({ at }) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}是不存在的日期`,
    'ledger.future_date': ({ at }) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}是将来的日期`,
    'ledger.bad_id_number': ({ at, problem }, f) =>
      `台账被拒绝，未写入任何数据：${ledgerAt(at)}${f.rule({ code: 'rule.invalid_resident_id', params: { problem } })}`,
    'ledger.id_as_number': ({ at }) =>
      `台账被拒绝，未写入任何数据：${ledgerAt(at)}身份证号被存成了数字，后几位已丢失：请把该列设为文本后重新录入`,
    'ledger.unknown_value': ({ at, allowed }) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}不是可用的值（${allowed.join('、')}）`,
    'ledger.too_long': ({ at, max }) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}超过${max}个字`,
    'ledger.error_cell': ({ at }) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}是Excel错误值（如#N/A）`,
    'ledger.rule': ({ at, error }, f) => `台账被拒绝，未写入任何数据：${ledgerAt(at)}${f.rule(error)}`,
    'file.io': ({ path, kind }, f) => `无法读写文件 ${path}（${f.io(kind)}）`,
    'print.weak_password': ({ min }) => `PDF密码太短，至少需要${min}个字符`,
    'print.failed': () => '无法生成PDF文件',
    'handoff.basis_needed': ({ recipient, allowed }, f) =>
      `向${f.label('RecipientKind', recipient)}移交须有依据：本个案没有对其有效的信息共享同意，请选择法律依据（${f.list(allowed.map((b) => f.label('LegalBasis', b)))}）`,
    'input.bad_date': ({ value }) => `日期“${value}”无效，应为 YYYY-MM-DD，例如 2026-01-31`,
    'input.bad_year': ({ given, min, max }) => `年份${given}无效，应在${min}年至${max}年之间`,
    'input.empty_user': () => '用户名不能为空',
    'input.passphrases_differ': () => '两次输入的密码不一致',
    'input.unknown_print_kind': ({ given, allowed }, f) => `打印类型“${given}”无效，可选：${f.list(allowed)}`,
    'input.unknown_basis': ({ given, allowed }, f) => `移交依据“${given}”无效，可选：${f.list(allowed)}`,
    'input.unknown_recipient_kind': ({ given, allowed }, f) => `接收方类型“${given}”无效，可选：${f.list(allowed)}`,
    'bundle.refused': ({ reason }, f) => `移交包未接收，档案库未作任何改动：${f.bundle(reason)}`,
    'bundle.no_cases': () => '没有与该设备共享的个案：请选择要发送的个案',
    'peer.bad_card': () => '不是有效的归途设备联系卡：格式、密钥、指纹或签名不符',
    'peer.own_device': () => '这是本机自己的联系卡',
    'peer.fingerprint_mismatch': () => '核对的指纹与联系卡不符，未添加对端设备：请与对方重新核对',
    'peer.unknown': ({ given }) => `没有名为或标识为“${given}”的对端设备`,
    'conflict.bad_value': () => '所填的值不符合该字段的格式',
    'input.unknown_role': ({ given, allowed }, f) => `角色“${given}”无效，可选：${f.list(allowed)}`,
    'input.unknown_subject': ({ given, allowed }, f) => `审批事项“${given}”无效，可选：${f.list(allowed)}`,
    'input.bad_person_pair': ({ given }) => `“${given}”应写作 文件中人员的标识=档案库中人员的标识（或其个案编号）`,
    'input.no_data_dir': () => '找不到用户数据目录，请指定档案库目录',
    'input.no_terminal': ({ variable }) => `未提供密码：无法在终端提示输入，请设置环境变量 ${variable}`,
    'demo.real_vault': () => '演示数据只能放入培训库，不能放入正式档案库',
    'training.already_open': () => '已在培训库中',
    'app.locked': () => '档案库已锁定，请先解锁',
    'app.internal': () => '内部错误，请重新启动应用',
    'ui.unexpected': () => '发生意外错误，请重试；如仍出错，请重新启动应用',

    'rule.invalid_resident_id': ({ problem }, f) => `居民身份证号码无效：${f.idNumber(problem)}`,
    'rule.required': ({ field }, f) => `必填项“${f.field(field)}”为空`,
    'rule.name_or_intake_number': () => '姓名不详时须填写接收编号',
    'rule.too_long': ({ field, max }, f) => `“${f.field(field)}”过长：最多${max}个字符`,
    'rule.bad_characters': ({ field }, f) => `“${f.field(field)}”含有控制字符或文字方向控制符`,
    'rule.out_of_range': ({ field, min, max }, f) => `“${f.field(field)}”应在${min}至${max}之间`,
    'rule.date_out_of_range': ({ field, min_year, max_year }, f) =>
      `“${f.field(field)}”不是${min_year}年至${max_year}年之间的日期`,
    'rule.end_before_start': ({ field, start_field, start, end }, f) =>
      `“${f.field(field)}”（${f.date(end)}）早于“${f.field(start_field)}”（${f.date(start)}）`,
    'rule.date_after_today': ({ field, today }, f) =>
      `“${f.field(field)}”晚于今天（${f.date(today)}）：尚未发生的事不能登记为已完成（R-DATE）`,
    'confirm.needed': ({ warnings }) => `有${warnings.length}项提示需要确认：请核对后选择“仍然保存”`,
    'rule.placement_with_buyer': () => '不得由收买家庭继续抚养：安置对象不能是收买家庭（R-PL-BUYER）',
    'rule.employment_under_16': ({ age }) => `就业服务仅面向年满十六周岁的人员，服务日期时年龄为${age}岁（R-EMP-16）`,
    'rule.employment_not_wanted': () => '就业服务仅提供给有意愿的人员（R-EMP-16）',
    'rule.verified_date_without_verified': () => '只有结果为“已查明”时才填写查明日期',
    'rule.legal_aid_after_refusal': ({ step }, f) => `不予援助的申请不能再${f.label('LaStep', step)}`,
    'rule.legal_aid_step_order': ({ step, date, previous }, f) =>
      `法律援助步骤“${f.label('LaStep', step)}”的日期（${f.date(date)}）早于上一步（${f.date(previous)}）`,
    'rule.repeat_interview_needs_reason': () => '已有询问记录，再次询问须说明理由（一站式询问，R-ONESTOP）',
    'rule.bad_calendar': ({ problem }, f) => `节假日日历文件无效：${f.calendar(problem)}`,
    'rule.bad_setting': ({ problem }, f) => `设置无效：${f.setting(problem)}`,
    'permission.denied': ({ permission, record_kind }, f) =>
      record_kind
        ? `您的角色无权${f.label('Permission', permission)}（${f.label('RecordKind', record_kind)}）`
        : `您的角色无权${f.label('Permission', permission)}`,
    'approval.self': () => '不能审批自己提出的申请，请由另一位主管审批',
    'approval.decided': () => '该申请已审批',
    'approval.needed': ({ subject }, f) => `“${f.label('ApprovalSubject', subject)}”需经主管审批，请提请审批`,
    'user.disabled': () => '此用户已被停用，请联系管理员',
    'user.unknown': () => '此用户在档案库中没有角色，请联系管理员添加',
    'user.exists': () => '已有同名用户',
    'user.self': () => '不能停用或删除自己的账户',
    'user.last_administrator': () => '档案库至少要保留一名可用的管理员',
    'user.must_unlock': ({ users }) => `以下用户需先登录一次，才能删除用户：${users.join('、')}`,
  },

  warnings: {
    'warn.age_unknown': () => '出生日期不详，无法确认是否年满十六周岁（R-EMP-16）',
    'warn.estimated_birth_date': ({ age }) => `出生日期为估计值，按估计年龄${age}岁判断，请核实（R-EMP-16）`,
    'warn.id_birth_date_mismatch': ({ id_birth, recorded }, f) =>
      `身份证号码中的出生日期（${f.date(id_birth)}）与登记的出生日期（${f.date(recorded)}）不一致（R-ID-NUM）`,
    'warn.calendar_fallback': ({ years }) =>
      `${years.map((y) => `${y}年`).join('、')}节假日安排未载入，按周一至周五计算工作日`,
    'warn.minor_interview_without_guardian': () => '询问未成年人时应有监护人或社会工作者在场',
    'warn.district_approval_needed': () => '身份三个月未查明，安置须报区政府同意（R-ID-3M）',
    'warn.unknown_parents': ({ guidance }) => codesZh.guidance[guidance],
    'warn.before_intake': ({ field, received }, f) =>
      `“${f.field(field)}”早于个案的接收日期（${f.date(received)}），请核对（R-DATE）`,
    'warn.birth_date_in_future': () => '出生日期晚于今天，请核对（R-DATE）',
    'warn.age_over_100': ({ age }) => `按出生日期计算已${age}岁，请核对（R-DATE）`,
    'warn.school_summary_for_adult': ({ age, estimated }) =>
      `受害人${estimated ? '按估计的出生日期' : ''}已满${age}周岁，是成年人；学校移交摘要用于未成年人，请确认文件类别（R-PRINT-FIT）`,
    'warn.school_summary_age_unknown': () => '出生日期不详，无法确认受害人是否为未成年人；学校移交摘要用于未成年人（R-PRINT-FIT）',
  },

  guidance: {
    not_applicable: '无需安排临时监护或长期养育（R-PL-UNKNOWN）',
    temporary_guardianship: '父母或监护人无法查找：应由未成年人救助保护机构临时监护（R-PL-UNKNOWN）',
    child_welfare: '临时监护期满仍无法查明父母：应由儿童福利机构长期养育（R-PL-UNKNOWN）',
    done: '已由儿童福利机构养育（R-PL-UNKNOWN）',
  },

  due: {
    id3m_deadline: () => '三个月身份查明期限',
    id3m_step: ({ step }, f) => `户籍安置程序：${f.label('TrackStep', step)}`,
    legal_aid_step: ({ step, green_channel }, f) =>
      green_channel ? `法律援助（绿色通道）：${f.label('LaStep', step)}` : `法律援助：${f.label('LaStep', step)}`,
    follow_up_visit: () => '下次回访',
  },

  setting: {
    case_prefix: ({ max }) => `个案编号前缀须为1至${max}位大写字母或数字`,
    idle_minutes: ({ min, max }) => `自动锁定时间须在${min}至${max}分钟之间`,
    lead_days: ({ max }) => `提前提醒天数不能超过${max}天`,
    step_target: ({ step, max }, f) => `“${f.label('TrackStep', step)}”的期限不能超过${max}个工作日`,
    step_order: ({ step, previous }, f) =>
      `“${f.label('TrackStep', step)}”的期限不能早于上一步“${f.label('TrackStep', previous)}”`,
    legal_aid_target: ({ channel, step, max }, f) =>
      `法律援助${f.channel(channel)}的${f.label('LaStep', step)}期限不能超过${max}个工作日`,
    accept_after_decide: ({ channel }, f) => `法律援助${f.channel(channel)}的受理期限不能晚于审查决定期限`,
    green_slower: ({ step }, f) => `法律援助绿色通道的${f.label('LaStep', step)}期限不能长于普通程序`,
    duplicate_scores: ({ min, max }) => `疑似重复的分数线应在${min}至${max}之间，且“很可能”不低于“可能”`,
    office: ({ max }) => `填报单位不能超过${max}个字，且不能含控制字符`,
  },

  calendar: {
    not_calendar: ({ line, column }) => `不是日历文件的格式（第${line}行第${column}列）`,
    no_source: ({ year }) => `${year}年缺少来源（通知标题与文号）`,
    no_holiday_name: ({ year }) => `${year}年有节日名称为空`,
    outside_year: ({ year, date }, f) => `${f.date(date)}不在${year}年内`,
    two_holidays: ({ date }, f) => `${f.date(date)}同时列于两个节日`,
    holiday_and_workday: ({ date }, f) => `${f.date(date)}既是假日又是调休上班日`,
    makeup_not_weekend: ({ date }, f) => `调休上班日${f.date(date)}不是周末`,
  },

  importProblem: {
    unknown_value: ({ allowed }, f) => `不是允许的值（可选：${f.list(allowed)}）`,
    missing_field: ({ field }) => `缺少字段 ${field}`,
    unknown_field: ({ field }) => `格式中没有字段 ${field}（不得导入基因数据等格式外的内容）`,
    wrong_type: ({ expected }, f) => `值的类型不对，应为${f.valueKind(expected)}`,
    bad_date: () => '不是有效日期，应写作 YYYY-MM-DD，例如 2026-01-31',
    bad_id: () => '不是规范的标识（小写带连字符的UUID）',
    too_long: () => '值过长',
    invalid: () => '值不符合格式',
  },

  backup: {
    not_backup: () => '文件开头不是归途备份',
    checksum: () => '校验和不符：文件不完整或已损坏',
    truncated: () => '文件不完整',
    header: () => '其中的密钥信息已损坏',
    database_open: () => '其中的数据库无法打开',
    integrity: () => '其中的数据库未通过完整性检查',
    trailing_data: () => '数据库之后还有多余的内容',
    audit_empty: () => '其中的审计记录是空的',
    audit_broken: ({ seq }) => `其中的审计记录在第${seq}条处断开`,
  },

  bundle: {
    not_a_bundle: () => '这不是归途移交包',
    not_for_this_device: () => '此移交包是发给另一台设备的',
    damaged: () => '文件在生成后被改动或不完整',
    unknown_sender: () => '发送设备不是本机的对端设备，请先添加其联系卡',
    removed_sender: () => '发送设备已被移除',
    forged: () => '签名与发送设备的密钥不符，可能被伪造或篡改',
    newer_format: ({ version }) => `由更新版本的归途生成（格式${version}），请先升级`,
    own_bundle: () => '这是本机生成的移交包',
    missing_base: () => '其中的修改所依据的人员、个案或记录不在本档案库中',
    invalid: () => '其中的修改不符合记录格式',
    case_number_taken: () => '其中个案的编号已被本档案库的另一个个案使用',
    not_shared: () => '其中有对本机未与发送设备共享的个案的修改',
  },

  idNumber: {
    length: '应为18位（或旧式15位）',
    characters: '只能包含数字，末位可为X',
    birth_date: '出生日期部分不是有效日期',
    check_character: '校验码不正确',
  },

  thing: {
    case: '个案',
    person: '人员',
    record: '记录',
    case_number: '个案编号',
    user: '用户',
    key_slot: '密钥槽',
    approval: '审批申请',
    merge: '合并记录',
    peer: '对端设备',
    conflict: '冲突',
    id: '标识',
  },

  io: {
    not_found: '文件或目录不存在',
    permission_denied: '没有权限',
    already_exists: '已存在',
    disk_full: '磁盘已满',
    read_only: '只读存储',
    is_a_directory: '这是一个目录',
    other: '读写失败',
  },

  channel: { green: '绿色通道', ordinary: '普通程序' },

  valueKind: {
    text: '文字',
    number: '数字',
    bool: '是或否',
    list: '列表',
    object: '对象',
    date: '日期',
    time: '日期时间',
    other: '其他类型的值',
  },

  location: ({ list, index, id }) => {
    const name = LISTS[list] ?? list;
    return id ? `第${index + 1}条${name}（${id}）` : `第${index + 1}条${name}`;
  },
};
