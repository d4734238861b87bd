// Messages of the settings screens: keys under "settings.".
// Policy field labels: in Chinese the console shows the schema's own description
// (GET /api/v1/policy/schema "help"); settings.policy.f.<section>.<key> gives the
// English one.
export default {
  zh: {
    settings: {
      roles: {
        boss: '店长', operations: '运营', cs_presale: '售前客服', cs_aftersale: '售后客服', cs_lead: '客服主管',
        cs_mentor: '客服导师', warehouse: '物流仓库', designer: '美工编辑', trade_sales: '外贸业务员',
        trade_assistant: '外贸助理', finance: '财务', hr: '人事', distributor: '分销商',
      },
      platforms: {
        taobao: '淘宝', tmall: '天猫', '1688': '1688', alibaba: '阿里巴巴国际站', jd: '京东', distributor: '分销', manual: '手工',
      },
      stale: '数据已被他人修改',
      staleReloaded: '已重新加载最新数据，请核对后再修改。',
      nothingChanged: '没有修改',
      stores: {
        title: '店铺', add: '新建店铺', edit: '编辑店铺', code: '店铺代码', name: '店铺名称', platform: '平台',
        active: '启用', status: '状态', on: '启用中', off: '已停用', version: '版本', created: '创建时间',
        updated: '更新时间', codeHint: '字母、数字、_ 和 -，创建后不可修改', created_ok: '店铺已创建',
        readOnly: '只有店长可以新建或修改店铺', deactivateWarn: '停用后该店铺不再接收新订单导入，确定吗？',
      },
      users: {
        title: '用户与角色', add: '新建用户', edit: '编辑用户', username: '用户名', displayName: '姓名', phone: '电话',
        role: '角色', stores: '可见店铺', allStores: '全部店铺', allStoresHint: '不选 = 可见全部店铺',
        status: '状态', enabled: '正常', disabled: '已停用', created: '创建时间', password: '密码',
        password2: '再次输入密码', newPassword: '新密码', resetPassword: '重置密码', disable: '停用', enable: '启用',
        disableConfirm: '停用 {name} 后其登录会立即失效，确定吗？', enableConfirm: '重新启用 {name}？',
        disabledOk: '已停用', enabledOk: '已启用', passwordOk: '密码已重置，该用户需要重新登录',
        createdOk: '用户已创建', required: '必填', mismatch: '两次输入的密码不一致',
        passwordHint: '至少 8 个字符', usernameHint: "字母、数字和 _ - . {'@'}，2–64 个字符",
        phoneMaskedHint: '显示为掩码；不修改则保留原号码', unmask: '显示完整电话', unmaskConfirm: '查看完整电话号码会记入审计日志，继续吗？',
        self: '（我）', search: '搜索用户名或姓名', filterRole: '按角色筛选', roleChangeNote: '修改角色或密码会让该用户重新登录',
      },
      policy: {
        title: '规则设置', version: '版本 {v}', defaults: '全部为默认值', changedCount: '{n} 项与默认值不同',
        differs: '已修改', default: '默认', range: '范围', seed: '依据', unsaved: '{n} 项未保存',
        onlyChanged: '只看与默认值不同的项', resetField: '恢复默认', discard: '放弃修改', history: '修改历史',
        historyEmpty: '还没有保存过，当前为默认值', historyForbidden: '只有店长和客服主管可以查看修改历史',
        readOnly: '只有店长可以修改规则，其他角色只能查看', saved: '已保存为版本 {v}',
        fixErrors: '有 {n} 项填写有误，请检查标红的项', on: '开', off: '关', by: '修改人',
        at: '时间', changes: '修改内容', noChanges: '无变化', store: '店铺', yes: '是', no: '否',
        wordsPlaceholder: '输入后按回车添加', search: '搜索规则',
        needInt: '请输入整数', needYuan: '请输入金额（元），最多两位小数', needPercent: '请输入百分比，最多四位小数',
        needClock: '请输入 HH:MM 格式的时间',
        sections: {
          orders: '订单与售后', cs_kpi: '客服考核', crm: '客户跟进', trade: '外贸', finance: '财务与分销',
          shifts: '班次', listings: '商品发布', scores: '考试与扣分', pay: '薪酬', staff: '员工与考评', approvals: '费用审批',
        },
        units: {
          yuan: '元', hours: '小时', minutes: '分钟', days: '天', months: '个月', perWeek: '次/周', percent: '%',
          px: '像素', kb: 'KB', chars: '字', items: '条', messages: '条', perMonth: '次/月', dayOfMonth: '日',
        },
        f: {},
      },
    },
  },
  en: {
    settings: {
      roles: {
        boss: 'Boss', operations: 'Operations', cs_presale: 'Pre-sales CS', cs_aftersale: 'After-sales CS',
        cs_lead: 'CS lead', cs_mentor: 'CS mentor', warehouse: 'Warehouse', designer: 'Designer',
        trade_sales: 'Trade sales', trade_assistant: 'Trade assistant', finance: 'Finance', hr: 'HR',
        distributor: 'Distributor',
      },
      platforms: {
        taobao: 'Taobao', tmall: 'Tmall', '1688': '1688', alibaba: 'Alibaba.com', jd: 'JD', distributor: 'Distributor', manual: 'Manual',
      },
      stale: 'Changed by someone else',
      staleReloaded: 'The latest data has been loaded; check it and make your change again.',
      nothingChanged: 'Nothing changed',
      stores: {
        title: 'Stores', add: 'New store', edit: 'Edit store', code: 'Code', name: 'Name', platform: 'Platform',
        active: 'Active', status: 'Status', on: 'Active', off: 'Inactive', version: 'Version', created: 'Created',
        updated: 'Updated', codeHint: 'Letters, digits, _ and -; cannot be changed later', created_ok: 'Store created',
        readOnly: 'Only the boss creates or changes stores', deactivateWarn: 'An inactive store takes no new order imports. Continue?',
      },
      users: {
        title: 'Users & roles', add: 'New user', edit: 'Edit user', username: 'User name', displayName: 'Name', phone: 'Phone',
        role: 'Role', stores: 'Stores visible', allStores: 'All stores', allStoresHint: 'None selected = all stores',
        status: 'Status', enabled: 'Active', disabled: 'Disabled', created: 'Created', password: 'Password',
        password2: 'Password again', newPassword: 'New password', resetPassword: 'Reset password', disable: 'Disable', enable: 'Enable',
        disableConfirm: 'Disabling {name} ends their sessions at once. Continue?', enableConfirm: 'Enable {name} again?',
        disabledOk: 'Disabled', enabledOk: 'Enabled', passwordOk: 'Password reset; the user must sign in again',
        createdOk: 'User created', required: 'Required', mismatch: 'The two passwords differ',
        passwordHint: 'At least 8 characters', usernameHint: "Letters, digits and _ - . {'@'}, 2-64 characters",
        phoneMaskedHint: 'Shown masked; left as is, the number is kept', unmask: 'Show full phones', unmaskConfirm: 'Viewing full phone numbers is recorded in the audit log. Continue?',
        self: ' (me)', search: 'Search user name or name', filterRole: 'Filter by role', roleChangeNote: 'A new role or password signs the user out',
      },
      policy: {
        title: 'Policy', version: 'Version {v}', defaults: 'All defaults', changedCount: '{n} differ from the defaults',
        differs: 'Changed', default: 'Default', range: 'Range', seed: 'Source', unsaved: '{n} unsaved',
        onlyChanged: 'Only values that differ from defaults', resetField: 'Reset to default', discard: 'Discard changes', history: 'History',
        historyEmpty: 'Never saved: all values are defaults', historyForbidden: 'Only the boss and the CS lead can see the history',
        readOnly: 'Only the boss can change the policy; you can view it', saved: 'Saved as version {v}',
        fixErrors: '{n} values are not valid; see the fields in red', on: 'On', off: 'Off', by: 'By',
        at: 'When', changes: 'Changes', noChanges: 'No changes', store: 'Store', yes: 'Yes', no: 'No',
        wordsPlaceholder: 'Type a word and press Enter', search: 'Search policy',
        needInt: 'Enter a whole number', needYuan: 'Enter an amount in yuan, at most two decimals', needPercent: 'Enter a percentage, at most four decimals',
        needClock: 'Enter a time as HH:MM',
        sections: {
          orders: 'Orders & after-sales', cs_kpi: 'CS KPIs', crm: 'Customer follow-up', trade: 'Foreign trade',
          finance: 'Finance & distribution', shifts: 'Shifts', listings: 'Listings', scores: 'Exams & deductions',
          pay: 'Pay', staff: 'Staff & appraisal', approvals: 'Expense approvals',
        },
        units: {
          yuan: 'yuan', hours: 'hours', minutes: 'minutes', days: 'days', months: 'months', perWeek: '/week', percent: '%',
          px: 'px', kb: 'KB', chars: 'chars', items: 'items', messages: 'messages', perMonth: '/month', dayOfMonth: 'day of month',
        },
        f: {
          orders: {
            bad_review_contact_hours: 'Contact after a bad review within', complaint_response_hours: 'Answer a complaint within',
            refund_warn_hours: 'Warn before a refund times out', auto_audit: 'Audit orders automatically',
            mask_phone_on_waybill: 'Hide the middle of phone numbers on waybills', allow_presale_oversell: 'Allow overselling pre-sale items',
          },
          cs_kpi: {
            after_sale_days: 'After-sales follow-up window', payment_window_days: 'Payment window',
            ad_phrase: 'Closing phrase / slogan', ad_min_messages: 'Closing phrase messages',
            simple_min_messages: 'Unanswered CS messages', cover_min_ratio_ppm: 'Stand-in must reach this share of the store average',
          },
          crm: {
            followup_a_per_week: 'Follow-ups of A customers', followup_b_per_week: 'Follow-ups of B customers',
            followup_c_every_days: 'Follow up C customers every', followup_d_every_days: 'Follow up D customers every',
            new_customer_contact_days: 'First contact of a new customer within', high_grade_min_contacts_month: 'Least contacts of top customers',
          },
          trade: { quote_minutes: 'Send a quote within', sample_search_days: 'Find a sample within', deposit_percent: 'Deposit before production' },
          finance: {
            payment_notify_hours: 'Tell finance of a payment within', statement_due_day: 'Distributor statement due',
            sunday_rolls_to_monday: 'Sunday rolls over to Monday',
          },
          shifts: {
            day_start: 'Day shift starts', day_end: 'Day shift ends', half_start: 'Half shift starts', half_end: 'Half shift ends',
            night_start: 'Night shift starts', night_end: 'Night shift ends', service_start: 'CS online from',
            service_end: 'CS online until', days_off_per_month: 'Days off per month',
          },
          listings: {
            title_max_chars: 'Longest title', brief_min_points: 'Fewest brief points', brief_max_points: 'Most brief points',
            image_min_px: 'Shortest image side', image_min_kb: 'Smallest image', image_max_kb: 'Largest image',
            forbidden_words: 'Words the advertising law forbids',
          },
          scores: {
            exam_full_bonus: 'Bonus for a full exam score', exam_pass_mark: 'Exam pass mark', exam_fail_penalty: 'Penalty for failing an exam',
            deduct_light_max: 'Most points off, light breach', deduct_medium: 'Points off, medium breach',
            deduct_severe: 'Points off, severe breach', fine_first_fen: 'Fine, first breach', fine_second_fen: 'Fine, second breach',
          },
          pay: {
            presale_rate: 'Pre-sales commission', aftersale_rate: 'After-sales commission', gold_sales_rate: 'Gold CS sales commission',
            gold_returns_rate: 'Gold CS returns commission', min_pay_year1_fen: 'Minimum pay, year 1',
            min_pay_year2_fen: 'Minimum pay, year 2', min_pay_year3_fen: 'Minimum pay, year 3 on',
            probation_pay_fen: 'Monthly pay on probation', score_band1_min: 'Band 1 lowest score',
            score_band2_min: 'Band 2 lowest score', score_band3_min: 'Band 3 lowest score', score_band1_rate: 'Band 1 bonus share',
            score_band2_rate: 'Band 2 bonus share', score_band3_rate: 'Band 3 bonus share', overtime_hour_fen: 'Overtime pay per hour',
            trade_base_min_fen: 'Trade sales base pay, lowest', trade_base_max_fen: 'Trade sales base pay, highest',
          },
          staff: {
            onboarding_days: 'Onboarding training', promote_mid_months: 'Junior to intermediate after',
            promote_senior_months: 'To senior after', promote_most_senior_months: 'To most senior after',
            appraisal_top_percent: '20/70/10: top share', appraisal_middle_percent: '20/70/10: middle share',
            appraisal_bottom_percent: '20/70/10: bottom share',
          },
          approvals: { expense_limit_cs_fen: 'CS may approve expenses up to', expense_limit_lead_fen: 'CS lead may approve expenses up to' },
        },
      },
    },
  },
}
