# hand-made solution of tiny.vrp: distance 48
instance tiny
day 1
driver 1: 1 2
driver 2: 4
day 2
driver 1: 1 3
day 3
driver 1: 1 3 2
