/** `ps -A -ww -o pid=,ppid=,pgid=,stat=,lstart=,comm=` output in the shape macOS prints it. */
export const PS_LISTING = [
  '    1     0     1 Ss   Mon Jan 15 09:00:01 2024     /sbin/launchd',
  '  400     1   400 S    Tue Feb  6 10:29:59 2024     /bin/zsh',
  '  500   400   500 S+   Tue Feb  6 10:30:00 2024     node',
  '  600   500   600 Ss   Tue Feb  6 10:30:01 2024     /Applications/My App.app/Contents/MacOS/My App (helper)',
  '  601   600   600 Z    Tue Feb  6 10:30:02 2024     <defunct>',
  '  602     1   600 T    Tue Feb  6 10:30:03 2024     sleep',
  '  603   601   603 I    Tue Feb  6 10:30:04 2024     daemon',
  '  700     1   700 R    Wed Feb 14 23:59:59 2024     other',
  '',
].join('\n');
