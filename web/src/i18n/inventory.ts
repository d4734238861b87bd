// Messages of the inventory screens: keys under "inventory.".
export default {
  zh: {
    inventory: {
      tabs: { stock: '库存', stocktake: '盘点', lists: '缺货 / 下架', sell: '动销报表' },
      sku: '商家编码', title: '商品', warehouse: '仓库', location: '库位', onHand: '现有', reserved: '已占用',
      available: '可用', outSince: '缺货起始', defaultWarehouse: '默认仓库',
      searchPlaceholder: '商家编码 / 标题，回车查询', low: '库存紧张（≤5）', out: '缺货（≤0）',
      reasons: { receive: '入库', adjust: '调整', reserve: '占用', release: '释放', ship: '发货', return: '退货入库', stocktake: '盘点' },
      ledger: {
        title: '库存流水：{sku}', short: '流水', allReasons: '全部类型', sum: '流水合计：现有 {on_hand}，占用 {reserved}',
        at: '时间', reason: '类型', ref: '关联', order: '订单', note: '备注', user: '操作人',
      },
      move: {
        receive: '入库', adjust: '库存调整', receiveShort: '入库', adjustShort: '调整', qty: '数量', reason: '原因',
        adjustHint: '正数加、负数减，如 -2', invalid: '请填写商家编码和非零整数数量', saved: '库存已更新',
      },
      stocktake: {
        new: '新建盘点单', create: '生成盘点单', locations: '库位', wholeWarehouse: '整仓', progress: '已盘 / 行数',
        net: '净差异', statusLabel: '状态', createdBy: '创建', sheet: '盘点单 #{id}',
        status: { open: '盘点中', approved: '已审核', cancelled: '已取消' },
        approvedBy: '{user} 于 {at} 审核', saveCounts: '保存盘点数（{n}）', approve: '审核通过', cancel: '取消盘点',
        lines: '行数', counted: '已盘', uncounted: '未盘', over: '盘盈', short: '盘亏', variances: '有差异',
        expected: '账面', countedQty: '实盘', variance: '差异', enterHint: '输入实盘数，回车到下一行；最后一行回车保存',
        badCounts: '这些实盘数不是 0–1000000 的整数：{skus}', nothingToSave: '没有修改的盘点数', saved: '已保存 {n} 行盘点数',
        approveConfirm: '审核后按差异调整库存：盘盈 {over} 件，盘亏 {short} 件，未盘 {uncounted} 行。确定审核？',
        approved: '盘点单已审核，库存已调整', cancelConfirm: '取消后此盘点单不再调整库存。确定取消？',
      },
      lists: {
        outOfStock: '缺货清单', delist: '下架清单', outHint: '可用库存 ≤ 0 的 SKU',
        delistHint: '需要在平台下架（或改库存为 0）的 SKU', downloadList: '下载此清单 CSV',
        platformFile: '下载平台库存文件', combo: '组合', shortParts: '缺少配件',
      },
      sell: {
        slowDays: '滞销天数', rate: '动销率', stocked: '有库存 SKU', soldSkus: '动销 SKU', slow: '滞销 SKU', period: '统计期间',
        chartTitle: '销量前 20 的 SKU：销量与期末库存', sold: '销量', left: '期末库存', slowTitle: '滞销（{n} 天无销量）',
        noSlow: '没有滞销 SKU', daysSince: '未售天数', never: '从未售出', unsoldTitle: '期间内未动销',
      },
    },
  },
  en: {
    inventory: {
      tabs: { stock: 'Stock', stocktake: 'Stocktake', lists: 'Out of stock / delist', sell: 'Sell-through' },
      sku: 'SKU code', title: 'Item', warehouse: 'Warehouse', location: 'Location', onHand: 'On hand', reserved: 'Reserved',
      available: 'Available', outSince: 'Out since', defaultWarehouse: 'Default warehouse',
      searchPlaceholder: 'SKU code / title, Enter to search', low: 'Low (≤5)', out: 'Out (≤0)',
      reasons: { receive: 'Receive', adjust: 'Adjust', reserve: 'Reserve', release: 'Release', ship: 'Ship', return: 'Return', stocktake: 'Stocktake' },
      ledger: {
        title: 'Stock ledger: {sku}', short: 'Ledger', allReasons: 'All kinds', sum: 'Ledger total: on hand {on_hand}, reserved {reserved}',
        at: 'Time', reason: 'Kind', ref: 'Reference', order: 'Order', note: 'Note', user: 'By',
      },
      move: {
        receive: 'Receive', adjust: 'Adjust stock', receiveShort: 'Receive', adjustShort: 'Adjust', qty: 'Quantity', reason: 'Reason',
        adjustHint: 'positive adds, negative removes, e.g. -2', invalid: 'Enter a SKU code and a non-zero whole quantity', saved: 'Stock updated',
      },
      stocktake: {
        new: 'New stocktake', create: 'Create sheet', locations: 'Locations', wholeWarehouse: 'Whole warehouse', progress: 'Counted / lines',
        net: 'Net variance', statusLabel: 'Status', createdBy: 'Created', sheet: 'Stocktake #{id}',
        status: { open: 'Counting', approved: 'Approved', cancelled: 'Cancelled' },
        approvedBy: 'approved by {user} at {at}', saveCounts: 'Save counts ({n})', approve: 'Approve', cancel: 'Cancel stocktake',
        lines: 'Lines', counted: 'Counted', uncounted: 'Uncounted', over: 'Over', short: 'Short', variances: 'Variances',
        expected: 'Book', countedQty: 'Counted', variance: 'Variance', enterHint: 'Type the count, Enter for the next line; Enter on the last line saves',
        badCounts: 'Not a whole number 0–1000000: {skus}', nothingToSave: 'No changed counts', saved: '{n} counts saved',
        approveConfirm: 'Approving adjusts stock by the variances: {over} over, {short} short, {uncounted} lines uncounted. Approve?',
        approved: 'Stocktake approved; stock adjusted', cancelConfirm: 'A cancelled stocktake adjusts nothing. Cancel it?',
      },
      lists: {
        outOfStock: 'Out of stock', delist: 'To delist', outHint: 'SKUs with available ≤ 0',
        delistHint: 'SKUs to take off sale on the platform (or set to 0)', downloadList: 'Download this list (CSV)',
        platformFile: 'Download platform stock file', combo: 'Combo', shortParts: 'short parts',
      },
      sell: {
        slowDays: 'Slow after days', rate: 'Sell-through', stocked: 'Stocked SKUs', soldSkus: 'SKUs sold', slow: 'Slow SKUs', period: 'Period',
        chartTitle: 'Top 20 SKUs: sold and stock left', sold: 'Sold', left: 'Stock left', slowTitle: 'Slow movers (no sale in {n} days)',
        noSlow: 'No slow movers', daysSince: 'Days unsold', never: 'never sold', unsoldTitle: 'Not sold in the period',
      },
    },
  },
}
