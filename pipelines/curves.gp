# curves.gp: a learning curve from a trainer's --log TSV: the train loss
# (left axis), the validation metric that chose the epoch kept and its test
# twin (right axis), and a mark at the kept epoch.
# gnuplot -e "log='x.log'; out='x.png'; metric='rmse'; kept=17; valid=1; name='MF'" pipelines/curves.gp
# (valid=0: a run without validation, such as ALS's)
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo noenhanced size 720,450
} else {
	set terminal png noenhanced size 720,450
}
set output out
set datafile separator "\t"
set datafile missing "nan"
set key below horizontal
set title name
set xlabel "epoch"
set ylabel "train loss"
set y2label metric
set ytics nomirror
set y2tics
set grid
set autoscale xfix
set arrow 1 from first kept, graph 0 to first kept, graph 1 nohead dashtype 2 lc rgb "gray40"
set label 1 sprintf("kept: %d", kept) at first kept, graph 0.04 offset 0.5,0 left textcolor rgb "gray40"
# gnuplot 5.4 names no curve from a column named in 'using': each title is
# given
if (valid) {
	plot log using "epoch":"train_loss" with linespoints lw 2 axes x1y1 title "train loss", \
	     log using "epoch":(column("valid_".metric)) with linespoints lw 2 axes x1y2 title "valid ".metric, \
	     log using "epoch":(column("test_".metric)) with linespoints lw 2 axes x1y2 title "test ".metric
} else {
	plot log using "epoch":"train_loss" with linespoints lw 2 axes x1y1 title "train loss", \
	     log using "epoch":(column("test_".metric)) with linespoints lw 2 axes x1y2 title "test ".metric
}
