// Messages of the warehouse screens: keys under "warehouse.".
export default {
  zh: {
    warehouse: {
      roles: {
        boss: '老板', operations: '运营', cs_presale: '售前客服', cs_aftersale: '售后客服', cs_lead: '客服主管',
        cs_mentor: '客服导师', warehouse: '物流仓库', designer: '美工', finance: '财务', hr: '人事',
      },
      verify: {
        scanFirst: '请扫描快递单号或订单号（拆单的包裹扫包裹面单条码）', scanGoods: '请逐件扫描商品',
        placeholderWaybill: '扫描快递单号 / 订单号 / 包裹条码，回车', parcel: '包裹 {k}/{n}', placeholderGoods: '扫描商品条码（商家编码），回车',
        idle: '用扫描枪扫描快递单开始验货，鼠标可以不用', order: '订单', sku: '商家编码', item: '商品',
        scanned: '已扫 / 应扫', uncoded: '无码', blocked: '错货 {code}：请取出该商品后按 F2「已取出」，或按 F4 重新验货',
        weight: '称重（克）', weightPlaceholder: '例如 850', pack: '打包', readyHint: '验货完成：输入重量后回车打包',
        notReadyHint: '验货完成后才能打包', removed: '已取出错货', reset: '重新验货', next: '放下此单',
        confirmLine: '目视确认第 {n} 行', keys: '快捷键', keyEnter: '扫描 / 打包', keyEsc: '回到扫描框', log: '最近扫描',
        badWeight: '重量无效：请输入 1–100000 克（或如 0.85kg）', packed: '已打包：订单 {order}，{weight}。请扫描下一单',
        packedParcel: '已打包：订单 {order} 包裹 {k}/{n}，{weight}。请扫描下一单',
        status: { open: '验货中', blocked: '错货', complete: '验货完成' },
      },
      ship: {
        importTitle: '导入快递单号（批量发货）', importHint: 'CSV 列：订单编号、物流公司、物流单号；只有已打包的订单会发货；拆单的包裹写作 订单编号-包裹号（如 123-1）',
        modeFile: '上传文件', modePaste: '粘贴', fileHint: '支持 UTF-8 或 GBK 编码的 CSV（可从 Excel 另存为 CSV）',
        pastePlaceholder: '从 Excel 粘贴三列：订单编号 物流公司 物流单号，每行一单', pasteRows: '{n} 行',
        import: '导入并发货', shippedN: '已发货 {n} 单', rows: '行数', shipped: '已发货', unchanged: '未变化',
        rejected: '被拒绝', line: '行号', column: '列', reason: '原因',
        exportTitle: '平台批量发货文件', exportHint: '所选日期（发货时间，北京时间）内已发货订单，上传到淘宝/天猫后台批量发货',
        download: '下载 CSV', exportNote: '文件格式与淘宝卖家中心「批量发货」一致',
      },
      tasks: {
        open: '待处理', doneTab: '已完成', allRoles: '全部角色', created: '创建时间', order: '订单', kind: '类型',
        text: '要做的事', role: '负责', status: '状态', done: '完成', notePrompt: '处理说明（可不填）',
        notePlaceholder: '例如：已追回包裹', noteTooLong: '说明最多 300 字', doneOk: '任务已完成',
        kinds: {
          notify_printer: '打单提醒', fetch_papers: '追回面单', fetch_parcel: '追回包裹', void_unprinted: '作废未打单',
          void_papers: '作废面单', restock_parcel: '拆包入库', refund: '退款',
        },
      },
      handover: {
        openOnly: '只看未确认', new: '新建交接单', created: '时间', shift: '班次', fromTo: '交出 → 接收', items: '事项',
        toAck: '待我确认', ackedTag: '已确认', pending: '未确认', pick: '在左侧选择一张交接单', ack: '确认接收',
        acked: '已确认接收', ackedBy: '{user} 已于 {at} 确认', doneBy: '{user} 于 {at} 完成', to: '交给',
        toRole: '按角色', toUser: '指定人', userPlaceholder: '用户名', shiftPlaceholder: '选择或输入班次', note: '备注',
        noSuggest: '没有未完成的任务、挂起或异常订单', extraPlaceholder: '补充事项，回车添加', add: '添加',
        chosen: '已选 {n} 项', createdOk: '交接单已创建', kinds: { task: '任务', hold: '挂起', exception: '异常', note: '补充' },
      },
    },
  },
  en: {
    warehouse: {
      roles: {
        boss: 'Boss', operations: 'Operations', cs_presale: 'Pre-sales CS', cs_aftersale: 'After-sales CS', cs_lead: 'CS lead',
        cs_mentor: 'CS mentor', warehouse: 'Warehouse', designer: 'Designer', finance: 'Finance', hr: 'HR',
      },
      verify: {
        scanFirst: 'Scan a waybill or order number (a split order: the parcel\'s waybill barcode)', scanGoods: 'Scan the goods one by one',
        placeholderWaybill: 'Scan waybill / order number / parcel barcode, Enter', parcel: 'Parcel {k}/{n}', placeholderGoods: 'Scan item barcode (SKU code), Enter',
        idle: 'Scan a waybill with the scanner to start; no mouse needed', order: 'Order', sku: 'SKU code', item: 'Item',
        scanned: 'Scanned / expected', uncoded: 'no code', blocked: 'Wrong item {code}: take it out and press F2 "removed", or F4 to start over',
        weight: 'Weight (g)', weightPlaceholder: 'e.g. 850', pack: 'Pack', readyHint: 'Verified: type the weight and press Enter to pack',
        notReadyHint: 'Packing needs a completed verification', removed: 'Wrong item removed', reset: 'Start over', next: 'Put this order aside',
        confirmLine: 'Confirm line {n} by eye', keys: 'Shortcuts', keyEnter: 'scan / pack', keyEsc: 'back to the scan field', log: 'Recent scans',
        badWeight: 'Not a weight: type 1–100000 grams (or e.g. 0.85kg)', packed: 'Packed: order {order}, {weight}. Scan the next one',
        packedParcel: 'Packed: order {order} parcel {k}/{n}, {weight}. Scan the next one',
        status: { open: 'Verifying', blocked: 'Wrong item', complete: 'Verified' },
      },
      ship: {
        importTitle: 'Import tracking numbers (bulk ship)', importHint: 'CSV columns: order number, courier, tracking number; only packed orders ship; a split order\'s parcel is order number-parcel number (e.g. 123-1)',
        modeFile: 'Upload file', modePaste: 'Paste', fileHint: 'CSV in UTF-8 or GBK (save as CSV from Excel)',
        pastePlaceholder: 'Paste three columns from Excel: order number, courier, tracking number, one order a line', pasteRows: '{n} rows',
        import: 'Import and ship', shippedN: '{n} orders shipped', rows: 'Rows', shipped: 'Shipped', unchanged: 'Unchanged',
        rejected: 'Rejected', line: 'Line', column: 'Column', reason: 'Reason',
        exportTitle: 'Platform bulk-ship file', exportHint: 'Orders shipped on the chosen days (ship time, Beijing) for the Taobao/Tmall bulk-ship upload',
        download: 'Download CSV', exportNote: 'Same format as the seller centre "bulk ship" page',
      },
      tasks: {
        open: 'Open', doneTab: 'Done', allRoles: 'All roles', created: 'Created', order: 'Order', kind: 'Kind',
        text: 'To do', role: 'Role', status: 'Status', done: 'Done', notePrompt: 'What was done (optional)',
        notePlaceholder: 'e.g. parcel fetched back', noteTooLong: 'At most 300 characters', doneOk: 'Task done',
        kinds: {
          notify_printer: 'Print notice', fetch_papers: 'Fetch papers', fetch_parcel: 'Fetch parcel', void_unprinted: 'Void unprinted',
          void_papers: 'Void papers', restock_parcel: 'Restock parcel', refund: 'Refund',
        },
      },
      handover: {
        openOnly: 'Unacknowledged only', new: 'New handover', created: 'Time', shift: 'Shift', fromTo: 'From → to', items: 'Items',
        toAck: 'For me', ackedTag: 'Acknowledged', pending: 'Pending', pick: 'Choose a sheet on the left', ack: 'Acknowledge',
        acked: 'Acknowledged', ackedBy: 'Acknowledged by {user} at {at}', doneBy: 'done by {user} at {at}', to: 'To',
        toRole: 'A role', toUser: 'A person', userPlaceholder: 'User name', shiftPlaceholder: 'Choose or type a shift', note: 'Note',
        noSuggest: 'No open tasks, held or exception orders', extraPlaceholder: 'Another item, Enter to add', add: 'Add',
        chosen: '{n} chosen', createdOk: 'Handover created', kinds: { task: 'Task', hold: 'On hold', exception: 'Exception', note: 'Note' },
      },
    },
  },
}
