/**
 * Interface strings of member, department and attachment fields; spread
 * into the catalogue in i18n.ts.
 */
export const peopleMessagesZh = {
  'people.search': '输入姓名搜索',
  'people.pickDepartment': '选择部门',
  'files.upload': '上传文件',
  'files.limits': '单个文件不超过 {size}',
  'files.accept': '，类型：{accept}',
  'files.uploading': '正在上传 {name}',
  'files.failed': '{name} 上传失败：{reason}',
  'files.tooLarge': '{name} 超过了 {size} 的上限',
  'files.wrongType': '{name} 不是该字段接受的文件类型（{accept}）',
} as const

export const peopleMessagesEn: Record<keyof typeof peopleMessagesZh, string> = {
  'people.search': 'Type a name to search',
  'people.pickDepartment': 'Choose a department',
  'files.upload': 'Upload a file',
  'files.limits': 'Files up to {size}',
  'files.accept': '; types: {accept}',
  'files.uploading': 'Uploading {name}',
  'files.failed': 'Uploading {name} failed: {reason}',
  'files.tooLarge': '{name} is larger than the {size} limit',
  'files.wrongType': '{name} is not a type of file this field takes ({accept})',
}
