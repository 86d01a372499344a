import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  db: DATABASE_OPTIONS.db,
  config: DATABASE_OPTIONS.config,
  role: { type: { kind: 'string', placeholder: 'ROLE' }, zh: '角色：admin 管理员、leader 县领导、township 乡镇经办、analyst 分析员、auditor 审核员', en: 'role: admin, leader, township, analyst, auditor' },
  township: { type: { kind: 'string', placeholder: 'CODE' }, zh: '乡镇经办的乡镇（9 位区划代码）', en: "a township officer's township (9-digit code)" },
  temporary: { type: { kind: 'flag' }, zh: '一次性密码：首次登录须修改（为他人开设账号时用）', en: 'a one-time password, changed at first sign-in (for accounts made for others)' },
} as const satisfies Record<string, OptionSpec>;

export const user = defineCommand({
  name: 'user',
  zh: '管理账号：add 新增、list 列出、disable 停用、enable 启用、passwd 设置密码（密码从标准输入读取）',
  en: 'manage accounts: add, list, disable, enable, passwd (the password is read from standard input)',
  options,
  positionals: [
    { name: 'ACTION', zh: 'add、list、disable、enable 或 passwd', en: 'add, list, disable, enable or passwd' },
    { name: 'USERNAME', zh: '用户名（list 不需要）', en: 'the username (not for list)', optional: true },
  ],
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: [
    'ncms user add admin --role admin',
    "printf '%s\\n' 'a long password' | ncms user add wang --role township --township 410523100 --temporary",
    'ncms user list',
    'ncms user disable wang',
  ],
  run: (args, positionals) => import('../run/user.ts').then((m) => m.run(args, positionals)),
});
